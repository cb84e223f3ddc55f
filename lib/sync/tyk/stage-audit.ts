import type { PrismaClient } from "@/lib/generated/prisma/client";
import { listAuditLogs } from "@/lib/tyk/list-audit-logs";
import { auditRecordTime } from "@/lib/tyk/schema";
import type { TykClient } from "@/lib/tyk/client";
import type { SyncContext } from "@/lib/sync/sync-run";
import type { AuditRef } from "./attribution";
import { isWriteMethod, parseAuditTarget, redactKeyTarget } from "./audit-target";
import type { AuditIndex } from "./stage";

export type AuditMode = "auto" | "on" | "off";

export interface AuditStageResult {
  supported: boolean;
  /** Newest audit time stored, the next run's starting point. */
  cursor: Date | null;
}

// Re-read a little before the cursor: entries with equal or slightly late timestamps are not
// lost, and duplicates are dropped by the primary key (Tyk's _id).
const OVERLAP_MS = 5 * 60_000;

/**
 * Pulls audited writes (POST/PUT/PATCH/DELETE; reads are not kept) since `cursor` into
 * tyk_audit_entries with their target parsed from the URL. Key ids in URLs are stored as key hashes.
 */
export async function syncAuditLog(args: {
  db: PrismaClient;
  client: TykClient;
  ctx: SyncContext;
  mode: AuditMode;
  cursor: Date | null;
  lookbackDays: number;
  now: Date;
  signal?: AbortSignal;
}): Promise<AuditStageResult> {
  const { db, client, ctx, mode, now } = args;
  if (mode === "off") return { supported: false, cursor: args.cursor };
  const from = args.cursor ? new Date(args.cursor.getTime() - OVERLAP_MS) : new Date(now.getTime() - args.lookbackDays * 86_400_000);
  const res = await listAuditLogs(client, { from, to: now, signal: args.signal });
  if (!res.supported) {
    if (mode === "on") throw new Error(`audit log required (auditLog: "on") but unavailable: ${res.message}`);
    ctx.count("audit_unsupported");
    return { supported: false, cursor: args.cursor };
  }
  const known = new Set((await db.key.findMany({ select: { keyHash: true } })).map((k) => k.keyHash));
  const rows = res.records
    .filter((r) => isWriteMethod(r.method))
    .map((r) => {
      const target = parseAuditTarget(r.url);
      let url = r.url.split("?")[0];
      let targetId = target?.id ?? null;
      if (target?.kind === "key" && targetId) ({ url, id: targetId } = redactKeyTarget(r.url, targetId, known));
      return {
        id: r._id,
        at: auditRecordTime(r),
        user: r.user ? r.user.toLowerCase() : null,
        action: r.action || null,
        method: r.method.toUpperCase(),
        url,
        status: r.status,
        ip: r.ip ?? null,
        targetKind: target?.kind ?? null,
        targetId,
      };
    });
  if (rows.length) {
    const { count } = await db.tykAuditEntry.createMany({ data: rows, skipDuplicates: true });
    ctx.count("audit_entries", count);
  }
  const newest = res.records.reduce<Date | null>((m, r) => {
    const t = auditRecordTime(r);
    return !m || t > m ? t : m;
  }, args.cursor);
  return { supported: true, cursor: newest };
}

export function dbAuditIndex(db: PrismaClient): AuditIndex {
  const toRef = (e: { id: string; at: Date; user: string | null; method: string; url: string; status: number }): AuditRef => ({
    id: e.id, at: e.at, user: e.user, method: e.method, url: e.url, status: e.status,
  });
  const okWrites = { status: { gte: 200, lt: 300 } };
  return {
    async forTarget(kind, ids, from, to) {
      const rows = await db.tykAuditEntry.findMany({
        where: { targetKind: kind, targetId: { in: ids }, at: { ...(from ? { gt: from } : {}), lte: to }, ...okWrites },
        orderBy: { at: "asc" },
      });
      return rows.map(toRef);
    },
    async creates(kind, from, to) {
      const rows = await db.tykAuditEntry.findMany({
        where: { targetKind: kind, targetId: null, method: "POST", at: { ...(from ? { gt: from } : {}), lte: to }, ...okWrites },
        orderBy: { at: "asc" },
      });
      return rows.map(toRef);
    },
  };
}
