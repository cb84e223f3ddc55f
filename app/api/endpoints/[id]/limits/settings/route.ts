import { apiRoute } from "@/lib/api/handler";
import { whoOfRoute } from "@/lib/access/who";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { endpointParams } from "@/lib/investigation/params";
import { limitSettingsBody, saveLimitSettings } from "@/lib/limits/settings";

// PUT /api/endpoints/{id}/limits/settings — the endpoint's p99 objective (null: 2× baseline) and headroom; admin only.
export const PUT = apiRoute({ permission: "policies:write", params: endpointParams, body: limitSettingsBody }, async (ctx) => {
  if (!(await db.endpoint.findUnique({ where: { id: ctx.params.id }, select: { id: true } }))) throw new ApiError("not_found", "endpoint not found");
  const who = whoOfRoute(ctx);
  const saved = await saveLimitSettings(db, ctx.params.id, ctx.body, who.email);
  await recordAudit(db, { ...who.audit, action: "limits.settings", target: { type: "endpoint", id: ctx.params.id }, details: { ...ctx.body } });
  return saved;
});
