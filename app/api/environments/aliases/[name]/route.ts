import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { aliasParams, deleteAlias } from "@/lib/environments/page";

export const DELETE = apiRoute({ permission: "settings:write", params: aliasParams }, async ({ params, actor, ip, userAgent, requestId }) => {
  const out = await deleteAlias(db, params.name);
  await recordAudit(db, { actor, action: "environment.alias.delete", target: { type: "environment_alias", id: out.deleted }, ip, userAgent, requestId, details: {} });
  return out;
});
