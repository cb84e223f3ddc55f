import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { INT4_MAX } from "@/lib/api/bounds";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { comparePolicyVersions } from "@/lib/queries/policies";

const params = z.object({ id: z.string().min(1).max(200) });
const version = z.coerce.number().int().min(1).max(INT4_MAX);
const query = z.object({ from: version, to: version });

/** The diff between any two stored versions of a policy, computed from their snapshots. */
export const GET = apiRoute({ permission: "console:read", params, query }, async ({ params, query }) => {
  const diff = await comparePolicyVersions(db, params.id, query.from, query.to);
  if (!diff) throw new ApiError("not_found", "No such policy version");
  return { policyId: params.id, from: query.from, to: query.to, diff };
});
