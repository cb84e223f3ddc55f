// `tokens …`: for whoever runs the server. Talks to DATABASE_URL directly and audits as "system".
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { SYSTEM_ACTOR } from "@/lib/audit/context";
import { isTokenScope, TOKEN_SCOPES } from "@/lib/auth/permissions";
import { createToken, listTokens, revokeToken } from "@/lib/tokens/service";
import { parseExpiry } from "@/lib/tokens/token";
import type { Command } from "./args";
import { UsageError } from "./args";
import { formatTable, formatTime } from "./format";

type Out = (text: string) => void;

export async function runTokens(db: PrismaClient, c: Extract<Command, { cmd: `tokens.${string}` }>, out: Out): Promise<void> {
  const who = { actor: SYSTEM_ACTOR, userAgent: "touchline-cli" };
  switch (c.cmd) {
    case "tokens.create": {
      const bad = c.scopes.filter((s) => !isTokenScope(s));
      if (bad.length) throw new UsageError(`unknown scope ${bad.join(", ")}; scopes: ${Object.keys(TOKEN_SCOPES).join(", ")}`);
      let expiresAt: Date | null;
      try {
        expiresAt = parseExpiry(c.expires);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const { token, view } = await createToken(db, { name: c.name, scopes: c.scopes.filter(isTokenScope), expiresAt, createdBy: "system" }, who);
      if (c.json) return out(JSON.stringify({ token, ...view }, null, 2));
      out(`${token}\n\nToken "${view.name}" (${view.id}) with scopes ${view.scopes.join(", ")}, expires ${view.expiresAt ? formatTime(view.expiresAt) : "never"}.\nThis is the only time it is shown: store it now.`);
      return;
    }
    case "tokens.list": {
      const tokens = await listTokens(db);
      if (c.json) return out(JSON.stringify(tokens, null, 2));
      out(tokens.length ? formatTable(tokens, [
        { header: "id", value: (t) => t.id },
        { header: "name", value: (t) => t.name },
        { header: "prefix", value: (t) => `${t.prefix}…` },
        { header: "scopes", value: (t) => t.scopes.join(",") },
        { header: "status", value: (t) => t.status },
        { header: "expires", value: (t) => (t.expiresAt ? formatTime(t.expiresAt) : "never") },
        { header: "last used", value: (t) => formatTime(t.lastUsedAt) },
        { header: "created by", value: (t) => t.createdBy },
      ]) : "No tokens.");
      return;
    }
    case "tokens.revoke": {
      const view = await revokeToken(db, c.id, who);
      if (!view) throw new UsageError(`no token with id ${c.id} (see: tokens list)`);
      out(c.json ? JSON.stringify(view, null, 2) : `revoked token "${view.name}" (${view.prefix}…)`);
      return;
    }
  }
}
