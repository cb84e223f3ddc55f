import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { removeIdentityRule } from "@/lib/queries/traces-mappings";
import { idParams } from "@/lib/queries/traces-mapping-schemas";

export const DELETE = apiRoute({ permission: "settings:write", params: idParams }, async ({ params, actor, ip, userAgent, requestId }) => {
  const rule = await removeIdentityRule(db, params.id);
  await recordAudit(db, {
    actor,
    action: "mapping.identity.delete",
    target: { type: "identity_mapping", id: rule.id },
    ip,
    userAgent,
    requestId,
    details: { attribute: rule.attribute, field: rule.field, priority: rule.priority },
  });
  return { rule };
});
