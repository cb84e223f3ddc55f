import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { deleteOffer } from "@/lib/access/settings";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

const params = z.object({ policyId: z.string().min(1).max(120) });

/** Stops offering a policy (requests already made keep their course). */
export const DELETE = apiRoute({ permission: "settings:write", params }, async (ctx) => {
  await deleteOffer(db, ctx.params.policyId, whoOfRoute(ctx));
  return { ok: true };
});
