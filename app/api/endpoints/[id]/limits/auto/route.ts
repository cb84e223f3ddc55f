import { whoOfRoute } from "@/lib/access/who";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { endpointParams } from "@/lib/investigation/params";
import { autoSettingsBody, autoStateOf, saveAutoSettings } from "@/lib/limits/auto/settings";

// GET /api/endpoints/{id}/limits/auto — automatic mode's state: settings, kill switch, next evaluation, last decisions.
export const GET = apiRoute({ permission: "investigations:read", params: endpointParams }, async ({ params }) => {
  if (!(await db.endpoint.findUnique({ where: { id: params.id }, select: { id: true } }))) throw new ApiError("not_found", "endpoint not found");
  return autoStateOf(db, params.id);
});

// PUT — turn automatic mode on/off and set its bounds; admin only.
export const PUT = apiRoute({ permission: "policies:write", params: endpointParams, body: autoSettingsBody }, async (ctx) => {
  if (!(await db.endpoint.findUnique({ where: { id: ctx.params.id }, select: { id: true } }))) throw new ApiError("bad_request", `id: no such endpoint (${ctx.params.id})`, "id");
  const who = whoOfRoute(ctx);
  await saveAutoSettings(db, ctx.params.id, ctx.body, who.email);
  await recordAudit(db, { ...who.audit, action: "limits.auto.settings", target: { type: "endpoint", id: ctx.params.id }, details: { ...ctx.body } });
  return autoStateOf(db, ctx.params.id);
});
