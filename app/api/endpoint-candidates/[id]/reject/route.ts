import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { rejectCandidate } from "@/lib/endpoints/candidates";
import { candidateParams } from "@/lib/endpoints/candidate-schemas";

/** Rejects a derived template: it stays listed as rejected and is not offered again. */
export const POST = apiRoute({ permission: "settings:write", params: candidateParams }, async ({ params, actor, ip, userAgent, requestId }) => {
  const candidate = await rejectCandidate(db, params.id, { actor: actor.email ?? actor.id ?? "unknown" });
  await recordAudit(db, {
    actor, action: "endpoint.candidate.reject", target: { type: "endpoint_candidate", id: params.id }, ip, userAgent, requestId,
    details: { endpoint: `${candidate.method} ${candidate.path}` },
  });
  return { candidate };
});
