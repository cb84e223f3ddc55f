import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { chainHash, GENESIS_HASH, verifyChain, type ChainVerdict } from "./chain";

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
const AUDIT_LOCK = 7_411_100;

/** Appends one hash-chained AuditEvent. */
export async function recordAudit(db: PrismaClient, input: AuditInput): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
    const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
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
    await tx.auditEvent.create({
      data: { ...fields, details: fields.details as Prisma.InputJsonValue, prevHash, hash: chainHash(prevHash, fields) },
    });
  });
  log.info({ audit: input.action, actor: input.actor.email ?? input.actor.type, target: input.target }, "audit");
}

/** Re-computes the whole chain from the database. */
export async function verifyAuditChain(db: PrismaClient, batch = 5000): Promise<ChainVerdict> {
  let prev = GENESIS_HASH;
  let cursor: bigint | undefined;
  let total = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      orderBy: { id: "asc" },
      take: batch,
      ...(cursor !== undefined ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!rows.length) return { ok: true, rows: total };
    const verdict = verifyChain(rows, prev);
    if (!verdict.ok) return { ...verdict, rows: total + verdict.rows };
    total += rows.length;
    prev = rows[rows.length - 1].hash;
    cursor = rows[rows.length - 1].id;
  }
}
