import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { getRotation } from "@/lib/access/rotation/view";
import { db } from "@/lib/db";

const params = z.object({ id: z.string().min(1).max(64) });

/** A rotation, its timeline, and whether the old key's callers have moved to the new key. */
export const GET = apiRoute({ permission: "console:read", params }, async (ctx) => {
  const detail = await getRotation(db, ctx.params.id);
  if (!detail) throw new ApiError("not_found", "No such rotation");
  return detail;
});
