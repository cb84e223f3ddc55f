import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { createTokenBody } from "@/lib/tokens/schema";
import { createToken, listTokens } from "@/lib/tokens/service";
import { parseExpiry } from "@/lib/tokens/token";

export const GET = apiRoute({ permission: "tokens:manage" }, async () => ({ tokens: await listTokens(db) }));

// The response is the only time the raw token exists outside the caller's hands.
export const POST = apiRoute({ permission: "tokens:manage", body: createTokenBody }, async (ctx) => {
  const { name, scopes, expiresIn } = ctx.body;
  const { token, view } = await createToken(
    db,
    { name, scopes, expiresAt: parseExpiry(expiresIn), createdBy: ctx.actor.email ?? `token:${ctx.actor.id}` },
    auditContextOf(ctx),
  );
  return Response.json({ token, tokenInfo: view }, { status: 201, headers: { "cache-control": "no-store" } });
});
