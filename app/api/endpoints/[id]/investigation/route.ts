import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { checkEndpointEnvironment } from "@/lib/environments/scope";
import { sharedInvestigation } from "@/lib/investigation/shared-investigation";
import { endpointParams, investigationQuery } from "@/lib/investigation/params";
import { takeInvestigationTurn } from "@/lib/security/investigation-limit";

// GET /api/endpoints/{id}/investigation?from=&to=&lookback=&userType=&env= — see README "Investigation API".
// A computation this caller starts takes one of their turns (429 + Retry-After when none is left).
export const GET = apiRoute({ permission: "investigations:read", params: endpointParams, query: investigationQuery }, async ({ actor, params, query }) => {
  if (query.env) await checkEndpointEnvironment(db, params.id, query.env);
  return sharedInvestigation(db, { endpointId: params.id, from: query.from, to: query.to, lookbackMinutes: query.lookback, userType: query.userType }, () => takeInvestigationTurn(actor));
});
