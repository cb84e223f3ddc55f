import type { NextAuthOptions } from "next-auth";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { recordAudit } from "@/lib/audit/record";
import { authRequestFacts } from "./auth-route";
import { safeCallbackPath } from "./callback-url";
import { currentGroups, type IdpTokens } from "./idp-claims";
import { idpEndpoints } from "./idp-discovery";
import { isRole, parseRoleMap, roleForGroups, type Role } from "./roles";
import { createSession, liveSession, revokeSession, SessionEnded, type SessionSettings } from "./server-session";

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
  preferred_username?: string;
  [claim: string]: unknown;
}

/** Reads the groups claim whichever shape the IdP sends (array, or a space/comma separated string). */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const raw = claims[claim];
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === "string");
  if (typeof raw === "string") return raw.split(/[\s,]+/).filter(Boolean);
  return [];
}

let cached: NextAuthOptions | undefined;

/** next-auth options: one generic OIDC provider (Okta, Auth0, Keycloak, Entra ID, or the demo IdP). */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const config = env();
  const rules = parseRoleMap(config.TOUCHLINE_ROLE_MAP);
  const issuer = config.OIDC_ISSUER.replace(/\/$/, "");
  const sessions: SessionSettings = {
    absoluteSeconds: config.SESSION_ABSOLUTE_MAX_SECONDS, refreshSeconds: config.SESSION_REFRESH_SECONDS, rules, secret: config.NEXTAUTH_SECRET,
  };
  const checkGroups = async (tokens: IdpTokens) => {
    const endpoints = await idpEndpoints();
    return currentGroups(tokens, {
      userinfo: endpoints?.userinfo ?? null, token: endpoints?.token ?? null, clientId: config.OIDC_CLIENT_ID, clientSecret: config.OIDC_CLIENT_SECRET,
      groupsOf: (claims) => groupsFromClaims(claims, config.OIDC_GROUPS_CLAIM),
    });
  };
  cached = {
    secret: config.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: config.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      {
        id: "oidc",
        name: config.OIDC_DISPLAY_NAME,
        type: "oauth",
        wellKnown: `${issuer}/.well-known/openid-configuration`,
        clientId: config.OIDC_CLIENT_ID,
        clientSecret: config.OIDC_CLIENT_SECRET,
        authorization: { params: { scope: ["openid email profile", config.OIDC_GROUPS_CLAIM === "groups" ? "groups" : "", config.OIDC_EXTRA_SCOPES].join(" ").replace(/\s+/g, " ").trim() } },
        checks: ["pkce", "state"],
        idToken: true,
        profile(profile: OidcProfile) {
          return {
            id: profile.sub,
            email: profile.email ?? null,
            name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub,
            groups: groupsFromClaims(profile, config.OIDC_GROUPS_CLAIM),
          };
        },
      },
    ],
    callbacks: {
      // Users whose groups map to no role are refused at the door, not let in with nothing.
      async signIn({ user }) {
        const groups = (user as { groups?: string[] }).groups ?? [];
        if (!roleForGroups(groups, rules)) {
          log.warn({ user: user.email }, "sign-in refused: no role for the user's groups");
          return "/signin?error=NoRole";
        }
        return true;
      },
      // Every session read (pages, API routes, /api/auth/session) passes here: the cookie only names a
      // server-side session, which must still be alive; its role comes from there, re-read from the
      // IdP every SESSION_REFRESH_SECONDS. A SessionEnded makes next-auth answer as signed out.
      async jwt({ token, user, account }) {
        if (user && account) {
          const groups = (user as { groups?: string[] }).groups ?? [];
          const role = roleForGroups(groups, rules) as Role;
          const saved = await upsertUser({ sub: user.id, email: user.email ?? null, name: user.name ?? null, groups, role, provider: account.provider });
          const tokens = account.access_token
            ? { accessToken: account.access_token, refreshToken: account.refresh_token ?? null, expiresAt: account.expires_at ?? null }
            : null;
          token.sid = await createSession(db, { userId: saved.id, role, groups, tokens, ...authRequestFacts() }, sessions);
          token.uid = saved.id;
          token.role = role;
          token.groups = groups;
          return token;
        }
        const live = await liveSession(db, typeof token.sid === "string" ? token.sid : "", sessions, checkGroups);
        token.role = live.role;
        token.groups = live.groups;
        return token;
      },
      // next-auth's own redirects (after sign-in, sign-out) obey the same rule as the sign-in page.
      async redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).toString();
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.id = String(token.uid ?? "");
          session.user.role = isRole(token.role) ? token.role : "viewer";
          session.user.groups = Array.isArray(token.groups) ? (token.groups as string[]) : [];
        }
        return session;
      },
    },
    events: {
      async signIn({ user }) {
        await recordAudit(db, { actor: { type: "user", id: user.id, email: user.email }, action: "auth.login", ...authRequestFacts() });
      },
      async signOut({ token }) {
        const ended = await revokeSession(db, typeof token?.sid === "string" ? token.sid : "", "signed out");
        await recordAudit(db, { actor: { type: "user", id: String(token?.uid ?? ""), email: token?.email ?? null }, action: "auth.logout", ...authRequestFacts(), details: { sessionEnded: ended } });
      },
    },
    logger: {
      error: (code, metadata) => {
        const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
        // A revoked or expired session is an ordinary signed-out visitor, not an error.
        if (err instanceof SessionEnded) return log.info({ reason: err.reason }, "session cookie refused");
        log.error({ code, err: err instanceof Error ? err.message : undefined }, "next-auth error");
      },
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
  return cached;
}

async function upsertUser(p: { sub: string; email: string | null; name: string | null; groups: string[]; role: Role; provider: string }) {
  const now = new Date();
  const user = p.email
    ? await db.user.upsert({
        where: { email: p.email },
        create: { email: p.email, name: p.name, groups: p.groups, role: p.role, lastLoginAt: now },
        update: { name: p.name, groups: p.groups, role: p.role, lastLoginAt: now },
      })
    : await db.user.create({ data: { name: p.name, groups: p.groups, role: p.role, lastLoginAt: now } });
  await db.account.upsert({
    where: { provider_providerAccountId: { provider: p.provider, providerAccountId: p.sub } },
    create: { userId: user.id, type: "oauth", provider: p.provider, providerAccountId: p.sub },
    update: { userId: user.id },
  });
  return user;
}
