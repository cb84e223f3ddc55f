import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { acceptCandidate } from "@/lib/endpoints/candidates";
import { acceptBody, candidateParams } from "@/lib/endpoints/candidate-schemas";

/** Accepts a derived template (optionally renamed) as an endpoint; the records it matches get it. */
export const POST = apiRoute({ permission: "settings:write", params: candidateParams, body: acceptBody }, async ({ params, body, actor, ip, userAgent, requestId }) => {
  const result = await acceptCandidate(db, params.id, { actor: actor.email ?? actor.id ?? "unknown", path: body.path });
  await recordAudit(db, {
    actor, action: "endpoint.candidate.accept", target: { type: "endpoint_candidate", id: params.id }, ip, userAgent, requestId,
    details: { endpoint: `${result.candidate.method} ${result.candidate.path}`, endpointId: result.endpointId, rematched: result.rematched, renamed: body.path != null },
  });
  return result;
});
