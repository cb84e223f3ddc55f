import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startOidcProvider, type RunningOidcProvider } from "@/simulators/oidc/server";
import { TestBrowser } from "@/simulators/oidc/test-browser";
import { DEMO_PASSWORD } from "@/simulators/oidc/users";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { currentGroups, type GroupsCheck, type IdpTokens } from "./idp-claims";
import { groupsFromClaims } from "./options";
import { parseRoleMap } from "./roles";
import { createSession, liveSession, revokeSession, revokeUserSessions, SessionEnded, type SessionSettings } from "./server-session";

// Server-side sessions against a real database and the real demo IdP (its userinfo, token
// endpoint and the admin switch that changes a user's groups).
const CLIENT = { clientId: "touchline-test", clientSecret: "s3cret", redirectUri: "http://localhost:3999/api/auth/callback/oidc" };
const settings: SessionSettings = { absoluteSeconds: 3600, refreshSeconds: 60, rules: parseRoleMap("admin=platform-admins;responder=oncall;viewer=engineering"), secret: "x".repeat(40) };

let idp: RunningOidcProvider;
let discovery: { authorization_endpoint: string; token_endpoint: string; userinfo_endpoint: string };
let fresh: FreshDatabase;
let db: PrismaClient;
let sql: pg.Client;
const basic = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64")}`;

/** A real authorization-code flow for `email`: the tokens next-auth would get at sign-in. */
async function signInTokens(email: string): Promise<IdpTokens> {
  const browser = new TestBrowser(idp.url);
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(discovery.authorization_endpoint);
  const params = { client_id: CLIENT.clientId, response_type: "code", redirect_uri: CLIENT.redirectUri, scope: "openid email profile groups", state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const { final } = await browser.follow(await browser.request(url.href));
  const action = /action="([^"]+\/login)"/.exec(await final.text())![1];
  const { leftTo } = await browser.follow(await browser.request(action, { form: { email, password: DEMO_PASSWORD } }));
  const res = await fetch(discovery.token_endpoint, {
    method: "POST", headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: leftTo!.searchParams.get("code")!, redirect_uri: CLIENT.redirectUri, code_verifier: verifier }),
  });
  const t = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
  return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Math.floor(Date.now() / 1000) + t.expires_in };
}

const setGroups = (email: string, groups: string[]) =>
  fetch(`${idp.url}/_sim/users/${email}/groups`, { method: "PUT", headers: { authorization: basic, "content-type": "application/json" }, body: JSON.stringify({ groups }) });

const idpCheck = (tokens: IdpTokens): Promise<GroupsCheck> =>
  currentGroups(tokens, { userinfo: discovery.userinfo_endpoint, token: discovery.token_endpoint, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, groupsOf: (c) => groupsFromClaims(c, "groups") });

beforeAll(async () => {
  idp = await startOidcProvider({ port: 0, clients: [{ ...CLIENT, redirectUris: [CLIENT.redirectUri] }] });
  discovery = (await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as typeof discovery;
  fresh = await freshDatabase();
  db = createDb(fresh.url);
  sql = new pg.Client({ connectionString: fresh.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await db?.$disconnect();
  await fresh?.drop();
  await idp?.close();
});

async function newSession(email: string, role: "responder" | "viewer" | "admin", tokens: IdpTokens | null, now = new Date()) {
  const user = await db.user.upsert({ where: { email }, create: { email, role }, update: { role } });
  const id = await createSession(db, { userId: user.id, role, groups: [], tokens, ip: "203.0.113.7", userAgent: "test" }, settings, now);
  return { id, userId: user.id };
}

const ended = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SessionEnded);
  return (err as SessionEnded).reason;
};

describe("server-side sessions", () => {
  it("end for good when revoked, one by one or everywhere, whatever the cookie says", async () => {
    const a = await newSession("vera@acme.test", "viewer", null);
    const b = await newSession("vera@acme.test", "viewer", null);
    expect((await liveSession(db, a.id, settings, idpCheck)).role).toBe("viewer");
    expect(await revokeSession(db, a.id, "signed out")).toBe(true);
    expect(await ended(liveSession(db, a.id, settings, idpCheck))).toMatch(/revoked \(signed out\)/);
    expect(await revokeUserSessions(db, b.userId, "signed out everywhere")).toBe(1);
    expect(await ended(liveSession(db, b.id, settings, idpCheck))).toMatch(/signed out everywhere/);
    expect(await ended(liveSession(db, "no-such-session", settings, idpCheck))).toBe("unknown session");
    expect(await ended(liveSession(db, "", settings, idpCheck))).toMatch(/names no session/);
  });

  it("end at their absolute maximum lifetime however recently used", async () => {
    const t0 = new Date();
    const s = await newSession("ada@acme.test", "admin", null, t0);
    const noRefresh = { ...settings, refreshSeconds: 24 * 3600 };
    expect((await liveSession(db, s.id, noRefresh, idpCheck, new Date(t0.getTime() + 3599_000))).role).toBe("admin");
    expect(await ended(liveSession(db, s.id, noRefresh, idpCheck, new Date(t0.getTime() + 3600_000)))).toMatch(/maximum lifetime/);
  });

  it("re-read the role from the IdP after the refresh period: removing rui from on-call makes him a viewer", async () => {
    const t0 = new Date();
    const s = await newSession("rui@acme.test", "responder", await signInTokens("rui@acme.test"), t0);
    let asked = 0;
    const counting = (t: IdpTokens) => {
      asked++;
      return idpCheck(t);
    };
    expect((await liveSession(db, s.id, settings, counting, new Date(t0.getTime() + 59_000))).role).toBe("responder");
    expect(asked).toBe(0); // within the period nothing is asked
    try {
      expect((await setGroups("rui@acme.test", ["engineering"])).status).toBe(200);
      const later = new Date(t0.getTime() + 61_000);
      expect(await liveSession(db, s.id, settings, counting, later)).toMatchObject({ role: "viewer", groups: ["engineering"] });
      expect(asked).toBe(1);
      expect((await db.user.findUniqueOrThrow({ where: { id: s.userId } })).role).toBe("viewer");
      const change = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.role_change", targetId: s.userId } });
      expect(change.details).toMatchObject({ from: "responder", to: "viewer" });
      // No group that maps to a role: the session ends.
      await setGroups("rui@acme.test", ["marketing"]);
      expect(await ended(liveSession(db, s.id, settings, counting, new Date(later.getTime() + 61_000)))).toMatch(/map to no role/);
      expect(await db.session.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ revokedAt: expect.any(Date) });
    } finally {
      await setGroups("rui@acme.test", ["oncall", "engineering"]);
    }
  });

  it("renews an expired access token with the refresh token, and ends when the IdP refuses it", async () => {
    const tokens = await signInTokens("vera@acme.test");
    const stale = { ...tokens, expiresAt: Math.floor(Date.now() / 1000) - 10 };
    const check = await idpCheck(stale);
    expect(check).toMatchObject({ kind: "groups", groups: ["engineering"] });
    expect(check.kind === "groups" && check.tokens.accessToken).not.toBe(tokens.accessToken);
    expect(await idpCheck({ ...stale, refreshToken: "not-a-refresh-token" })).toMatchObject({ kind: "refused" });
    expect(await idpCheck({ ...stale, refreshToken: null })).toMatchObject({ kind: "refused" });
    const t0 = new Date();
    const s = await newSession("vera@acme.test", "viewer", { ...stale, refreshToken: "revoked-at-the-idp" }, t0);
    expect(await ended(liveSession(db, s.id, settings, idpCheck, new Date(t0.getTime() + 61_000)))).toMatch(/IdP refused/);
  });

  it("keeps the role when the IdP cannot be reached, and asks again soon rather than on every request", async () => {
    const t0 = new Date();
    const s = await newSession("ada@acme.test", "admin", await signInTokens("ada@acme.test"), t0);
    const down = () => currentGroups({ accessToken: "x", refreshToken: null, expiresAt: null }, { userinfo: "http://127.0.0.1:9/userinfo", token: null, clientId: "c", clientSecret: "s", groupsOf: () => [] });
    const t1 = new Date(t0.getTime() + 61_000);
    expect((await liveSession(db, s.id, settings, down, t1)).role).toBe("admin");
    let asked = 0;
    await liveSession(db, s.id, settings, async (t) => (asked++, idpCheck(t)), new Date(t1.getTime() + 10_000));
    expect(asked).toBe(0);
    await liveSession(db, s.id, settings, async (t) => (asked++, idpCheck(t)), new Date(t1.getTime() + 31_000));
    expect(asked).toBe(1);
  });

  it("stores the IdP's tokens sealed, never raw", async () => {
    const tokens = await signInTokens("rui@acme.test");
    await newSession("rui@acme.test", "responder", tokens);
    const { rows } = await sql.query<{ j: string }>("SELECT row_to_json(s)::text AS j FROM sessions s");
    expect(rows.filter((r) => r.j.includes(tokens.accessToken) || r.j.includes(tokens.refreshToken!))).toEqual([]);
  });
});
