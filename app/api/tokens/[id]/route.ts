import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { revokeToken } from "@/lib/tokens/service";

const params = z.object({ id: z.string().min(1).max(64) });

export const DELETE = apiRoute({ permission: "tokens:manage", params }, async (ctx) => {
  const view = await revokeToken(db, ctx.params.id, auditContextOf(ctx));
  if (!view) throw new ApiError("not_found", "No such token");
  return { tokenInfo: view };
});
