import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { auditContextOf } from "@/lib/audit/context";
import { recordAudit } from "@/lib/audit/record";
import { revokeUserSessions } from "@/lib/auth/server-session";
import { db } from "@/lib/db";

const body = z.object({ userId: z.string().min(1).max(64) });

/** "Sign out everywhere": ends every live session of a user at once (their cookies stop working). */
export const POST = apiRoute({ permission: "sessions:manage", body }, async (ctx) => {
  const user = await db.user.findUnique({ where: { id: ctx.body.userId }, select: { id: true, email: true } });
  if (!user) throw new ApiError("not_found", "No such user");
  const revoked = await revokeUserSessions(db, user.id, `signed out everywhere by ${ctx.actor.email ?? ctx.actor.id}`);
  await recordAudit(db, { ...auditContextOf(ctx), action: "auth.sessions_revoke", target: { type: "user", id: user.id }, details: { email: user.email, revoked } });
  return { revoked };
});
