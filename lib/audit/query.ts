import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { isInt8Decimal } from "@/lib/api/bounds";
import { filterDate } from "@/lib/api/filter-date";
import { likeLiteral } from "@/lib/queries/like";

/** Filters of the audit page, its API and its export (all optional). */
export const auditFilterSchema = z.object({
  actor: z.string().trim().max(320).optional(), // email (substring), token id, or "system" / "token"
  action: z.string().trim().max(100).optional(), // exact, or a prefix ending in "." / "*" (e.g. "token.")
  target: z.string().trim().max(200).optional(), // "type" or "type:id"
  from: filterDate.optional(),
  to: filterDate.optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditPageSchema = auditFilterSchema.extend({
  cursor: z.string().max(19).refine(isInt8Decimal, "cursor must be an event id").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface AuditEventView {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  /** Email for users, "token <name> (tl_…)" for tokens, "system" for the server itself. */
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
  hash: string;
}

export function auditWhere(f: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.actor) {
    const a = f.actor;
    and.push(
      a === "system" || a === "token"
        ? { actorType: a }
        : { OR: [{ actorEmail: { contains: likeLiteral(a), mode: "insensitive" } }, { actorId: a }] },
    );
  }
  if (f.action) {
    const prefix = f.action.endsWith("*") ? f.action.slice(0, -1) : f.action.endsWith(".") ? f.action : null;
    and.push(prefix !== null ? { action: { startsWith: likeLiteral(prefix) } } : { action: f.action });
  }
  if (f.target) {
    const i = f.target.indexOf(":");
    and.push(i < 0 ? { targetType: f.target } : { targetType: f.target.slice(0, i), targetId: f.target.slice(i + 1) });
  }
  if (f.from || f.to) and.push({ at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } });
  return and.length ? { AND: and } : {};
}

type Row = Awaited<ReturnType<PrismaClient["auditEvent"]["findMany"]>>[number];

async function toViews(db: PrismaClient, rows: Row[]): Promise<AuditEventView[]> {
  const tokenIds = [...new Set(rows.filter((r) => r.actorType === "token" && r.actorId).map((r) => r.actorId!))];
  const tokens = tokenIds.length ? await db.apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true, prefix: true } }) : [];
  const tokenLabel = new Map(tokens.map((t) => [t.id, `token ${t.name} (${t.prefix}…)`]));
  return rows.map((r) => ({
    id: String(r.id),
    at: r.at,
    actorType: r.actorType,
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    actorLabel: r.actorEmail ?? (r.actorType === "token" ? (tokenLabel.get(r.actorId ?? "") ?? `token ${r.actorId}`) : r.actorType),
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
    details: r.details,
    hash: r.hash,
  }));
}

/** One page of events, newest first, keyset-paged on id (ids only grow: the chain is append-only). */
export async function listAuditEvents(
  db: PrismaClient,
  page: AuditFilter & { cursor?: string; limit: number },
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const where = auditWhere(page);
  const rows = await db.auditEvent.findMany({
    where: page.cursor ? { AND: [where, { id: { lt: BigInt(page.cursor) } }] } : where,
    orderBy: { id: "desc" },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const events = await toViews(db, rows.slice(0, page.limit));
  return { events, nextCursor: more ? events[events.length - 1].id : null };
}

/** All matching events in pages, for exports (capped so one click cannot stream the database forever). */
export async function* auditEventPages(db: PrismaClient, filter: AuditFilter, max = 200_000, batch = 2000): AsyncGenerator<AuditEventView[]> {
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const { events, nextCursor } = await listAuditEvents(db, { ...filter, cursor, limit: Math.min(batch, max - sent) });
    if (events.length) yield events;
    sent += events.length;
    if (!nextCursor) return;
    cursor = nextCursor;
  }
}

export const AUDIT_EXPORT_COLUMNS = [
  { header: "id", value: (e: AuditEventView) => e.id },
  { header: "at", value: (e: AuditEventView) => e.at.toISOString() },
  { header: "actor_type", value: (e: AuditEventView) => e.actorType },
  { header: "actor_id", value: (e: AuditEventView) => e.actorId },
  { header: "actor", value: (e: AuditEventView) => e.actorLabel },
  { header: "action", value: (e: AuditEventView) => e.action },
  { header: "target_type", value: (e: AuditEventView) => e.targetType },
  { header: "target_id", value: (e: AuditEventView) => e.targetId },
  { header: "ip", value: (e: AuditEventView) => e.ip },
  { header: "request_id", value: (e: AuditEventView) => e.requestId },
  { header: "details", value: (e: AuditEventView) => e.details },
  { header: "hash", value: (e: AuditEventView) => e.hash },
] as const;
