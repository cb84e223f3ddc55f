import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { GENESIS_HASH, KEYED, keyedHash, PLAIN, plainHash } from "./chain";
import { auditKeysFrom, type AuditKeys } from "./keys";

export interface AuditActor {
  type: "user" | "token" | "system";
  id?: string | null;
  email?: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  action: string; // dotted verb, e.g. "auth.login", "sync.start", "policy.update"
  target?: { type: string; id: string };
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

// Serialises writers so each row links to the true previous row.
export const AUDIT_LOCK = 7_411_100;

let parsed: { raw: string; keys: AuditKeys | null } | undefined;

/** The audit keys of this process's configuration (parsed once per value). */
export function configuredAuditKeys(): AuditKeys | null {
  const raw = `${process.env.TOUCHLINE_AUDIT_KEY ?? ""}\n${process.env.TOUCHLINE_AUDIT_KEY_PREVIOUS ?? ""}`;
  if (parsed?.raw !== raw) parsed = { raw, keys: auditKeysFrom(process.env) };
  return parsed.keys;
}

/**
 * Appends one hash-chained AuditEvent: keyed (HMAC) when TOUCHLINE_AUDIT_KEY is set. Without a key
 * it refuses to follow a keyed row — a plain row there is exactly what re-hashing by someone without
 * the key looks like, so a process started without the key must not write one.
 */
export async function recordAudit(db: PrismaClient, input: AuditInput, keys = configuredAuditKeys()): Promise<void> {
  await db.$transaction((tx) => appendAudit(tx, input, keys));
  logAudit(input);
}

/**
 * recordAudit inside the caller's transaction: for an action that must not happen unaudited (the
 * action's writes and its audit row commit together, or neither does).
 */
export async function appendAudit(tx: Prisma.TransactionClient, input: AuditInput, keys = configuredAuditKeys()): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true, alg: true } });
  if (!keys && last?.alg === KEYED) throw new Error("TOUCHLINE_AUDIT_KEY is not set, but the audit trail is keyed: refusing to append an unkeyed row");
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields = {
    at: new Date(),
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    actorEmail: input.actor.email ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 400) ?? null,
    requestId: input.requestId ?? null,
    details: input.details ?? {},
  };
  const hash = keys ? keyedHash(prevHash, fields, keys.current) : plainHash(prevHash, fields);
  await tx.auditEvent.create({
    data: { ...fields, details: fields.details as Prisma.InputJsonValue, prevHash, hash, alg: keys ? KEYED : PLAIN, keyId: keys?.current.id ?? null },
  });
}

export function logAudit(input: AuditInput): void {
  log.info({ audit: input.action, actor: input.actor.email ?? input.actor.type, target: input.target }, "audit");
}
