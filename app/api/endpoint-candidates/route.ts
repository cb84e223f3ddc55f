import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { listCandidates, unmatchedSummary } from "@/lib/endpoints/candidates";
import { candidateListQuery } from "@/lib/endpoints/candidate-schemas";

/** Endpoint templates derived from unmatched traffic, for review. */
export const GET = apiRoute({ permission: "settings:read", query: candidateListQuery }, async ({ query }) => ({
  candidates: await listCandidates(db, query.status),
  unmatched: await unmatchedSummary(db),
}));
