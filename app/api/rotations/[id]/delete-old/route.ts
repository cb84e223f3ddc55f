import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { deleteOldKeyNow } from "@/lib/access/rotation/finish";
import { getRotation } from "@/lib/access/rotation/view";
import { tykClientOrFail } from "@/lib/access/tyk-client";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

const params = z.object({ id: z.string().min(1).max(64) });

/** Deletes the old key now instead of at the end of the grace period (only once the new key exists). */
export const POST = apiRoute({ permission: "keys:rotate", params }, async (ctx) => {
  const outcome = await deleteOldKeyNow(db, await tykClientOrFail(db), ctx.params.id, whoOfRoute(ctx));
  return { outcome, ...(await getRotation(db, ctx.params.id)) };
});
