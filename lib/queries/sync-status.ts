import type { PrismaClient } from "@/lib/generated/prisma/client";
import { assessFreshness, type Freshness } from "./freshness";

export type SyncKindName = "tyk" | "analytics" | "traces";
const KINDS: SyncKindName[] = ["tyk", "analytics", "traces"];

/** A SyncRun as the browser sees it (dates as ISO strings). */
export interface SyncRunView {
  id: string;
  kind: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  progress: { step?: string; done?: number; total?: number | null };
  counts: Record<string, number>;
  errors: { step: string; message: string }[];
  actor: string | null;
}

export interface SyncStatus {
  running: boolean;
  /** The newest run of each kind that has ever run. */
  latest: SyncRunView[];
}

type Row = Awaited<ReturnType<PrismaClient["syncRun"]["findFirst"]>> & {};

export function toRunView(r: Row): SyncRunView {
  return {
    id: r.id,
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    progress: (r.progress ?? {}) as SyncRunView["progress"],
    counts: (r.counts ?? {}) as Record<string, number>,
    errors: (Array.isArray(r.errors) ? r.errors : []) as SyncRunView["errors"],
    actor: r.actor,
  };
}

/** The newest run per kind, for the Sync-now widget and the Connections card. */
export async function getSyncStatus(db: PrismaClient): Promise<SyncStatus> {
  const rows = await Promise.all(KINDS.map((kind) => db.syncRun.findFirst({ where: { kind }, orderBy: { startedAt: "desc" } })));
  const latest = rows.filter((r): r is Row => r !== null).map(toRunView);
  return { running: latest.some((r) => r.status === "running"), latest };
}

/** How the runs of each kind name their upstream for people. */
const UPSTREAM: Record<SyncKindName, string> = { tyk: "Tyk", analytics: "Tyk Pump's analytics", traces: "the trace backend" };

/** Whether the data synced by `kind` may be stale (see assessFreshness). */
export async function getFreshness(db: PrismaClient, kind: SyncKindName, intervalSeconds: number, now = new Date()): Promise<Freshness> {
  const runs = await db.syncRun.findMany({
    where: { kind },
    orderBy: { startedAt: "desc" },
    take: 20,
    select: { status: true, startedAt: true, finishedAt: true, errors: true },
  });
  return assessFreshness(runs, intervalSeconds, now, UPSTREAM[kind]);
}

/** The last run of `kind` that finished, for the Connections card. */
export async function lastFinishedRun(db: PrismaClient, kind: SyncKindName): Promise<SyncRunView | null> {
  const r = await db.syncRun.findFirst({ where: { kind, status: { not: "running" } }, orderBy: { startedAt: "desc" } });
  return r ? toRunView(r) : null;
}
