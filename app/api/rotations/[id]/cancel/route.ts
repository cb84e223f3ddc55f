import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { cancelRotation } from "@/lib/access/rotation/finish";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

const params = z.object({ id: z.string().min(1).max(64) });

/** Stops a rotation: the old key is not deleted. */
export const POST = apiRoute({ permission: "keys:rotate", params }, async (ctx) => ({ rotation: await cancelRotation(db, ctx.params.id, whoOfRoute(ctx)) }));
