import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { aliasBody, setAlias } from "@/lib/environments/page";

/** Sets an alias: a declared environment name counted as another environment. */
export const POST = apiRoute({ permission: "settings:write", body: aliasBody }, async ({ body, actor, ip, userAgent, requestId }) => {
  const alias = await setAlias(db, body, actor.email ?? `token:${actor.id}`);
  await recordAudit(db, {
    actor, action: "environment.alias.set", target: { type: "environment_alias", id: alias.name }, ip, userAgent, requestId,
    details: { name: alias.name, environment: alias.environment },
  });
  return Response.json({ alias: { name: alias.name, environment: alias.environment } }, { status: 201 });
});
