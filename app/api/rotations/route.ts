import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { accessConfig } from "@/lib/access/config";
import { startKeyRotation } from "@/lib/access/rotation/start";
import { listRotations } from "@/lib/access/rotation/view";
import { tykClientOrFail } from "@/lib/access/tyk-client";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

const query = z.object({ keyHash: z.string().min(1).max(200).optional(), clientId: z.string().min(1).max(200).optional() });
const body = z.object({ keyHash: z.string().min(1).max(200), graceHours: z.number().min(0).max(720).optional() });

/** Rotations, newest first (of one key, old or new, or of one OAuth client). */
export const GET = apiRoute({ permission: "console:read", query }, async (ctx) => ({ rotations: await listRotations(db, ctx.query) }));

// Plans the rotation and creates the new key: the answer is the only time the raw key is shown.
export const POST = apiRoute({ permission: "keys:rotate", body }, async (ctx) => {
  const { rotation, rawKey } = await startKeyRotation(db, await tykClientOrFail(db), { keyHash: ctx.body.keyHash, graceHours: ctx.body.graceHours ?? accessConfig().graceHours }, whoOfRoute(ctx));
  return Response.json({ rotation, key: rawKey }, { status: 201, headers: { "cache-control": "no-store" } });
});
