import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { listPolicies } from "@/lib/queries/policies";

const query = z.object({ q: z.string().max(200).optional() });

export const GET = apiRoute({ permission: "console:read", query }, async ({ query }) => {
  const policies = await listPolicies(db, { q: query.q });
  return { policies };
});
