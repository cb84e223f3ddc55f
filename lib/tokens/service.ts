import type { PrismaClient } from "@/lib/generated/prisma/client";
import { appendAudit, logAudit, recordAudit } from "@/lib/audit/record";
import type { AuditContext } from "@/lib/audit/context";
import { isTokenScope, type TokenScope } from "@/lib/auth/permissions";
import { generateToken, hashToken, isTokenShape, tokenStatus, type TokenStatus } from "./token";

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  status: TokenStatus;
}

type Row = Awaited<ReturnType<PrismaClient["apiToken"]["findMany"]>>[number];

function toView(r: Row, now = new Date()): TokenView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    lastUsedAt: r.lastUsedAt,
    status: tokenStatus(r, now),
  };
}

export interface CreateTokenInput {
  name: string;
  scopes: TokenScope[];
  expiresAt: Date | null;
  createdBy: string;
}

/** Creates a token and audits it. The raw token is returned once and is not recoverable afterwards. */
export async function createToken(db: PrismaClient, input: CreateTokenInput, audit: AuditContext): Promise<{ token: string; view: TokenView }> {
  const name = input.name.trim();
  if (!name) throw new Error("token name is empty");
  const scopes = [...new Set(input.scopes)];
  if (!scopes.length || !scopes.every(isTokenScope)) throw new Error("a token needs at least one known scope");
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new Error("expiry is in the past");
  const { token, prefix, hash } = generateToken();
  // A token that works but was never audited must not exist: the row and its audit commit together.
  const entry = (id: string, expiresAt: Date | null) => ({
    ...audit,
    action: "token.create",
    target: { type: "api_token", id },
    details: { name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
  });
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { name, prefix, tokenHash: hash, scopes, createdBy: input.createdBy, expiresAt: input.expiresAt },
    });
    await appendAudit(tx, entry(created.id, created.expiresAt));
    return created;
  });
  logAudit(entry(row.id, row.expiresAt));
  return { token, view: toView(row) };
}

/** Every token, newest first (hashes never leave this module). */
export async function listTokens(db: PrismaClient): Promise<TokenView[]> {
  const rows = await db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
  const now = new Date();
  return rows.map((r) => toView(r, now));
}

/** Revokes a token (idempotent: an already-revoked token keeps its first revocation time). Null when unknown. */
export async function revokeToken(db: PrismaClient, id: string, audit: AuditContext): Promise<TokenView | null> {
  const existing = await db.apiToken.findUnique({ where: { id } });
  if (!existing) return null;
  if (existing.revokedAt) return toView(existing);
  const row = await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  await recordAudit(db, { ...audit, action: "token.revoke", target: { type: "api_token", id }, details: { name: row.name, prefix: row.prefix } });
  return toView(row);
}

export type TokenAuth =
  | { ok: true; token: Pick<TokenView, "id" | "name" | "prefix" | "scopes" | "createdBy"> }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" };

// Writing last_used_at on every request would turn each read into a write; once a minute is enough for "last used".
const LAST_USED_RESOLUTION_MS = 60_000;

/** Looks a raw bearer token up by its hash; refuses revoked and expired ones and stamps last_used_at. */
export async function authenticateToken(db: PrismaClient, raw: string, now = new Date()): Promise<TokenAuth> {
  if (!isTokenShape(raw)) return { ok: false, reason: "malformed" };
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(raw) } });
  if (!row) return { ok: false, reason: "unknown" };
  const status = tokenStatus(row, now);
  if (status !== "active") return { ok: false, reason: status };
  await db.apiToken.updateMany({
    where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
    data: { lastUsedAt: now },
  });
  return { ok: true, token: { id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes, createdBy: row.createdBy } };
}
