import { z } from "zod";
import { tykClientOrFail } from "@/lib/access/tyk-client";
import { whoOfRoute } from "@/lib/access/who";
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { applyLimitChange, limitChangeBody, listLimitChanges } from "@/lib/limits/apply";

const query = z.object({ endpointId: z.string().min(1).max(200).optional(), policyId: z.string().min(1).max(200).optional() });

/** Rate-limit changes Touchline applied or rolled back, newest first. */
export const GET = apiRoute({ permission: "investigations:read", query }, async ({ query }) => ({ changes: await listLimitChanges(db, query) }));

// A dry run (`dryRun: true`: the reviewed before/after and diff) or the change written to Tyk; admin only.
export const POST = apiRoute({ permission: "policies:write", body: limitChangeBody }, async (ctx) => {
  const result = await applyLimitChange(db, await tykClientOrFail(db), ctx.body, whoOfRoute(ctx));
  return Response.json(result, { status: result.dryRun ? 200 : 201 });
});
