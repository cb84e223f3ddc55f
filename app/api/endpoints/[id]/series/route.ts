import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { loadEndpointSeries } from "@/lib/investigation/endpoint-series";
import { endpointParams, seriesQuery } from "@/lib/investigation/params";

// GET /api/endpoints/{id}/series?from=&to= — latency points for the chart plus access-change markers.
export const GET = apiRoute({ permission: "investigations:read", params: endpointParams, query: seriesQuery }, async ({ params, query }) =>
  loadEndpointSeries(db, { endpointId: params.id, from: query.from, to: query.to }),
);
