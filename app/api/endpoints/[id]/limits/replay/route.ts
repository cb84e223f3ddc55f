import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { endpointParams } from "@/lib/investigation/params";
import { replayEndpointLimit, replayQuery } from "@/lib/limits/replay-endpoint";

// GET /api/endpoints/{id}/limits/replay?policyId=&rate=&per=&days= — who a proposed limit would have turned away, and the slow minutes' p99 without them.
export const GET = apiRoute({ permission: "investigations:read", params: endpointParams, query: replayQuery }, async ({ params, query }) =>
  replayEndpointLimit(db, params.id, query),
);
