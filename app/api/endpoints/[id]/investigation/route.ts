import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { sharedInvestigation } from "@/lib/investigation/shared-investigation";
import { endpointParams, investigationQuery } from "@/lib/investigation/params";

// GET /api/endpoints/{id}/investigation?from=&to=&lookback= — see README "Investigation API".
export const GET = apiRoute({ permission: "investigations:read", params: endpointParams, query: investigationQuery }, async ({ params, query }) =>
  sharedInvestigation(db, { endpointId: params.id, from: query.from, to: query.to, lookbackMinutes: query.lookback }),
);
