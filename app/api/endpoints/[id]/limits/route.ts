import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { endpointParams } from "@/lib/investigation/params";
import { loadEndpointLimits } from "@/lib/limits/endpoint-limits";

// GET /api/endpoints/{id}/limits — capacity at the objective over the last 7 days and the recommended Tyk limits.
export const GET = apiRoute({ permission: "investigations:read", params: endpointParams }, async ({ params }) => loadEndpointLimits(db, params.id));
