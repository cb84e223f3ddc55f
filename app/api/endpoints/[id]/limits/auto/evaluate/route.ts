import { tykClientOrFail } from "@/lib/access/tyk-client";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { endpointParams } from "@/lib/investigation/params";
import { evaluateAutomaticLimits } from "@/lib/limits/auto/evaluate";

// POST /api/endpoints/{id}/limits/auto/evaluate — evaluate now instead of at the next tick (same rules, kill switch included); admin only.
export const POST = apiRoute({ permission: "policies:write", params: endpointParams }, async ({ params }) => {
  const results = await evaluateAutomaticLimits(db, await tykClientOrFail(db), { endpointId: params.id });
  if (results === null) throw new ApiError("conflict", "conflict: an evaluation is running; try again in a moment");
  const decisions = results[params.id];
  if (!decisions) throw new ApiError("conflict", "conflict: automatic mode is off for this endpoint");
  return { decisions };
});
