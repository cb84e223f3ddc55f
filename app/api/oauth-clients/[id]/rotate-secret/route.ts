import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { rotateClientSecret } from "@/lib/access/rotation/oauth";
import { tykClientOrFail } from "@/lib/access/tyk-client";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

const params = z.object({ id: z.string().min(1).max(200) });

// Regenerates the client's secret in Tyk; the answer is the only time the secret is shown.
export const POST = apiRoute({ permission: "keys:rotate", params }, async (ctx) => {
  const { rotation, secret } = await rotateClientSecret(db, await tykClientOrFail(db), ctx.params.id, whoOfRoute(ctx));
  return Response.json({ rotation, secret }, { status: 201, headers: { "cache-control": "no-store" } });
});
