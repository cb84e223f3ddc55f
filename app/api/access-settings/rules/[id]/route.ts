import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { deleteRule } from "@/lib/access/settings";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

const params = z.object({ id: z.string().min(1).max(64) });

export const DELETE = apiRoute({ permission: "settings:write", params }, async (ctx) => {
  await deleteRule(db, ctx.params.id, whoOfRoute(ctx));
  return { ok: true };
});
