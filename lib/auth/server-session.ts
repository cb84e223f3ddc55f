import { hkdfSync } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record";
import { log } from "@/lib/log";
import { decryptSecret, encryptSecret } from "@/lib/security/secret-box";
import type { GroupsCheck, IdpTokens } from "./idp-claims";
import { roleForGroups, type Role, type RoleRule } from "./roles";

// Server-side sessions. The JWT cookie next-auth issues only names a row here; the row decides
// whether the session is alive (not revoked, not past its absolute end) and which role it has. So a
// copied cookie dies with sign-out, "sign out everywhere" reaches every browser, no session outlives
// SESSION_ABSOLUTE_MAX_SECONDS however often it is renewed, and a role taken away at the IdP is gone
// here after at most SESSION_REFRESH_SECONDS.

/** Why a session cookie no longer signs anyone in (next-auth then answers as signed out). */
export class SessionEnded extends Error {
  constructor(readonly reason: string) {
    super(`session ended: ${reason}`);
    this.name = "SessionEnded";
  }
}

export interface SessionSettings {
  absoluteSeconds: number;
  refreshSeconds: number;
  rules: RoleRule[];
  /** NEXTAUTH_SECRET: the IdP tokens are sealed with a key derived from it. */
  secret: string;
}

export interface LiveSession {
  id: string;
  userId: string;
  role: Role;
  groups: string[];
}

/** After an unanswered IdP, the role is asked for again this soon (not on every request). */
const RETRY_UNAVAILABLE_MS = 30_000;

function sealKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "touchline-sessions", "idp tokens", 32));
}

const seal = (tokens: IdpTokens, s: SessionSettings, id: string) => encryptSecret(JSON.stringify(tokens), sealKey(s.secret), `session:${id}`);
const unseal = (sealed: string, s: SessionSettings, id: string) => JSON.parse(decryptSecret(sealed, { current: sealKey(s.secret) }, `session:${id}`)) as IdpTokens;

export async function createSession(
  db: PrismaClient,
  p: { userId: string; role: Role; groups: string[]; tokens: IdpTokens | null; ip: string | null; userAgent: string | null },
  s: SessionSettings,
  now = new Date(),
): Promise<string> {
  const row = await db.session.create({
    data: { userId: p.userId, role: p.role, groups: p.groups, createdAt: now, roleCheckedAt: now, expires: new Date(now.getTime() + s.absoluteSeconds * 1000), ip: p.ip, userAgent: p.userAgent },
    select: { id: true },
  });
  // Sealed after the row exists: the seal is bound to the session id, so it cannot be moved to another row.
  if (p.tokens) await db.session.update({ where: { id: row.id }, data: { idpTokens: seal(p.tokens, s, row.id) } });
  return row.id;
}

/** Revokes one session (sign-out); false when it was already gone. */
export async function revokeSession(db: PrismaClient, id: string, reason: string): Promise<boolean> {
  if (!id) return false;
  const r = await db.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  return r.count > 0;
}

/** Revokes every live session of a user ("sign out everywhere"); returns how many. */
export async function revokeUserSessions(db: PrismaClient, userId: string, reason: string): Promise<number> {
  const r = await db.session.updateMany({ where: { userId, revokedAt: null, expires: { gt: new Date() } }, data: { revokedAt: new Date(), revokedReason: reason } });
  return r.count;
}

// One IdP round trip per session at a time, however many requests arrive while it runs.
const inFlight = new Map<string, Promise<LiveSession>>();

/**
 * The live session `id` names, with its current role; throws SessionEnded when it is unknown,
 * revoked or past its end. Every `refreshSeconds` the role is re-read through `checkGroups` (the
 * IdP): a user whose groups map to no role any more, or whom the IdP refuses, is signed out.
 */
export async function liveSession(
  db: PrismaClient, id: string, s: SessionSettings, checkGroups: (tokens: IdpTokens) => Promise<GroupsCheck>, now = new Date(),
): Promise<LiveSession> {
  if (!id) throw new SessionEnded("the cookie names no session");
  const row = await db.session.findUnique({ where: { id } });
  if (!row) throw new SessionEnded("unknown session");
  if (row.revokedAt) throw new SessionEnded(`revoked (${row.revokedReason ?? "signed out"})`);
  if (row.expires <= now) throw new SessionEnded("past its maximum lifetime");
  const live: LiveSession = { id, userId: row.userId, role: row.role as Role, groups: row.groups };
  if (now.getTime() - row.roleCheckedAt.getTime() < s.refreshSeconds * 1000) return live;
  let pending = inFlight.get(id);
  if (!pending) {
    pending = refreshRole(db, row, s, checkGroups, now).finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

type SessionRow = NonNullable<Awaited<ReturnType<PrismaClient["session"]["findUnique"]>>>;

async function refreshRole(db: PrismaClient, row: SessionRow, s: SessionSettings, checkGroups: (t: IdpTokens) => Promise<GroupsCheck>, now: Date): Promise<LiveSession> {
  const check: GroupsCheck = row.idpTokens
    ? await checkGroups(unseal(row.idpTokens, s, row.id))
    : { kind: "refused", reason: "no IdP tokens to re-read the role with" };
  if (check.kind === "unavailable") {
    log.warn({ session: row.id, reason: check.reason }, "could not re-read the role from the IdP; keeping the current one for now");
    await db.session.update({ where: { id: row.id }, data: { roleCheckedAt: new Date(now.getTime() - s.refreshSeconds * 1000 + RETRY_UNAVAILABLE_MS) } });
    return { id: row.id, userId: row.userId, role: row.role as Role, groups: row.groups };
  }
  const role = check.kind === "groups" ? roleForGroups(check.groups, s.rules) : null;
  if (check.kind !== "groups" || !role) {
    const reason = check.kind === "refused" ? `the IdP refused: ${check.reason}` : "the user's IdP groups map to no role";
    await revokeSession(db, row.id, reason);
    await recordAudit(db, { actor: { type: "system" }, action: "auth.session_end", target: { type: "user", id: row.userId }, details: { session: row.id, reason } });
    throw new SessionEnded(reason);
  }
  const { groups } = check;
  await db.session.update({ where: { id: row.id }, data: { role, groups, roleCheckedAt: now, idpTokens: seal(check.tokens, s, row.id) } });
  if (role !== row.role) {
    await db.user.update({ where: { id: row.userId }, data: { role, groups } });
    await recordAudit(db, { actor: { type: "system" }, action: "auth.role_change", target: { type: "user", id: row.userId }, details: { session: row.id, from: row.role, to: role, groups } });
  }
  return { id: row.id, userId: row.userId, role, groups };
}

/** Live sessions, newest first, for the admin's Sessions card. */
export async function listLiveSessions(db: PrismaClient, now = new Date()) {
  const rows = await db.session.findMany({
    where: { revokedAt: null, expires: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: 500,
    select: { id: true, createdAt: true, expires: true, role: true, ip: true, userAgent: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), expires: r.expires.toISOString() }));
}
