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
  errors: { step: string; message: string; warning?: boolean }[];
  actor: string | null;
  budgetMs: number | null;
}

/** One sync stage as the Settings page and GET /api/sync show it. */
export interface StageStatus {
  kind: SyncKindName;
  /** The newest run's status, or "never". */
  state: "running" | "succeeded" | "partial" | "failed" | "never";
  /** How long the running run has been going (ms), as of the answer. */
  runningForMs: number | null;
  /** The running (or newest) run's time budget (ms). */
  budgetMs: number | null;
  /** A running run past its budget (it is being stopped, or ignored the stop). */
  overBudget: boolean;
  /** How long the newest finished run took (ms). */
  lastDurationMs: number | null;
  /** When the stage runs next on this server's schedule; null while running or without a scheduler here. */
  nextRunAt: string | null;
}

export interface SyncStatus {
  running: boolean;
  /** The newest run of each kind that has ever run. */
  latest: SyncRunView[];
  /** Every stage, run or not, in dependency order. */
  stages: StageStatus[];
  /** When the answer was made: running times are counted to it. */
  asOf: string;
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
    budgetMs: r.budgetMs,
  };
}

/** What the server's own scheduler knows of a stage (see lib/sync/scheduler.ts). */
export interface ScheduledStage {
  kind: string;
  nextRunAt: Date | null;
}

/** The stage's state as of `now` from its newest run and its newest finished run. */
export function stageStatus(kind: SyncKindName, latest: SyncRunView | null, finished: SyncRunView | null, now: Date, nextRunAt: Date | null): StageStatus {
  const running = latest?.status === "running";
  const runningForMs = running ? Math.max(0, now.getTime() - Date.parse(latest.startedAt)) : null;
  const budgetMs = latest?.budgetMs ?? null;
  return {
    kind,
    state: latest ? (latest.status as StageStatus["state"]) : "never",
    runningForMs,
    budgetMs,
    overBudget: runningForMs !== null && budgetMs !== null && runningForMs > budgetMs,
    lastDurationMs: finished?.finishedAt ? Date.parse(finished.finishedAt) - Date.parse(finished.startedAt) : null,
    nextRunAt: running || !nextRunAt ? null : nextRunAt.toISOString(),
  };
}

/** The newest run per kind and each stage's state, for the Sync widget, Settings and GET /api/sync. */
export async function getSyncStatus(db: PrismaClient, schedule: ScheduledStage[] = [], now = new Date()): Promise<SyncStatus> {
  const [newest, finished] = await Promise.all([
    Promise.all(KINDS.map((kind) => db.syncRun.findFirst({ where: { kind }, orderBy: { startedAt: "desc" } }))),
    Promise.all(KINDS.map((kind) => db.syncRun.findFirst({ where: { kind, status: { not: "running" } }, orderBy: { startedAt: "desc" } }))),
  ]);
  const views = newest.map((r) => (r ? toRunView(r) : null));
  const latest = views.filter((v): v is SyncRunView => v !== null);
  const stages = KINDS.map((kind, i) =>
    stageStatus(kind, views[i], finished[i] ? toRunView(finished[i]) : null, now, schedule.find((s) => s.kind === kind)?.nextRunAt ?? null));
  return { running: latest.some((r) => r.status === "running"), latest, stages, asOf: now.toISOString() };
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
