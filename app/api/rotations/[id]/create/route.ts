import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { createNewKey } from "@/lib/access/rotation/start";
import { tykClientOrFail } from "@/lib/access/tyk-client";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

const params = z.object({ id: z.string().min(1).max(64) });

/** Retries creating the new key of a rotation Tyk could not finish (the raw key is in this answer only). */
export const POST = apiRoute({ permission: "keys:rotate", params }, async (ctx) => {
  const { rotation, rawKey } = await createNewKey(db, await tykClientOrFail(db), ctx.params.id, whoOfRoute(ctx));
  return Response.json({ rotation, key: rawKey }, { headers: { "cache-control": "no-store" } });
});
