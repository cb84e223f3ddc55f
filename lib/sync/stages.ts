/**
 * The three sync stages — Tyk (configuration), analytics (requests) and traces (latency) — each run
 * on its own, within a time budget: one stuck stage must never hold up the others.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { formatDuration } from "@/lib/format";
import { syncAnalytics } from "./analytics/sync-analytics";
import { stageBudgetMs } from "./budget";
import { traceSourceFor, tykClientFor } from "./connectors";
import type { SyncKind, SyncProgress, SyncResult, SyncRunOptions, SyncTrigger } from "./sync-run";
import { defaultRequestBudget } from "./traces/request-budget";
import { syncTraces } from "./traces/sync-traces";
import { syncTyk } from "./tyk/sync";
import { syncKeyActivity } from "./tyk-activity/sync-activity";

/** In dependency order: Tyk's endpoints and keys are what requests and traces are joined to. */
export const STAGE_KINDS: readonly SyncKind[] = ["tyk", "analytics", "traces"];
export const STAGE_LABELS: Record<SyncKind, string> = { tyk: "Tyk", analytics: "Analytics", traces: "Traces" };

type StageJob = (o: SyncRunOptions) => Promise<SyncResult>;

/** The stage's job as configured now (stored connections win over env), or null when it has no upstream. */
async function stageJob(db: PrismaClient, kind: SyncKind): Promise<StageJob | null> {
  const config = env();
  if (kind === "tyk") {
    const client = await tykClientFor(db);
    return client ? (o) => syncTyk({ db, client, auditLog: config.TYK_AUDIT_LOG, ...o }) : null;
  }
  if (kind === "analytics") {
    if (config.TYK_ANALYTICS_DATABASE_URL) return (o) => syncAnalytics(db, o);
    // Without the Pump's database, the Dashboard's hourly per-key analytics are the only traffic we get.
    const client = await tykClientFor(db);
    return client ? (o) => syncKeyActivity({ db, client, ...o }) : null;
  }
  const traces = await traceSourceFor(db);
  return traces
    ? (o) => syncTraces({ db, source: traces.source, service: traces.service, requestBudget: defaultRequestBudget(config.TYK_SYNC_INTERVAL_SECONDS), ...o })
    : null;
}

export class StageBudgetExceeded extends Error {
  constructor(kind: SyncKind, budgetMs: number) {
    super(`${STAGE_LABELS[kind]} sync ran past its time budget of ${formatDuration(budgetMs)} and was stopped; the next run resumes where it left off`);
    this.name = "StageBudgetExceeded";
  }
}

function configuredBudgetSeconds(kind: SyncKind): number | undefined {
  const config = env();
  return { tyk: config.TYK_SYNC_BUDGET_SECONDS, analytics: config.ANALYTICS_SYNC_BUDGET_SECONDS, traces: config.TRACES_SYNC_BUDGET_SECONDS }[kind];
}

/** The stage's budget for its next run: configured, or derived from its last ten finished runs. */
export async function nextBudgetMs(db: PrismaClient, kind: SyncKind, budgetSeconds?: number): Promise<number> {
  const configuredSeconds = budgetSeconds ?? configuredBudgetSeconds(kind);
  const recent = configuredSeconds === undefined
    ? await db.syncRun.findMany({
      where: { kind, status: { in: ["succeeded", "partial"] }, finishedAt: { not: null } },
      orderBy: { startedAt: "desc" },
      take: 10,
      select: { startedAt: true, finishedAt: true },
    })
    : [];
  return stageBudgetMs({
    configuredSeconds,
    recentMs: recent.map((r) => r.finishedAt!.getTime() - r.startedAt.getTime()),
    intervalSeconds: env().TYK_SYNC_INTERVAL_SECONDS,
  });
}

export interface RunStageOptions {
  trigger: SyncTrigger;
  signal?: AbortSignal;
  /** Overrides the configured or derived budget. */
  budgetSeconds?: number;
  onProgress?: (p: SyncProgress) => void;
}

/**
 * Runs one stage within its time budget: past it the stage is aborted (its run recorded failed
 * with the reason; every stage commits as it goes and resumes from there). Null when the stage has
 * no upstream configured.
 */
export async function runStage(db: PrismaClient, kind: SyncKind, opts: RunStageOptions): Promise<SyncResult | null> {
  const job = await stageJob(db, kind);
  if (!job) return null;
  const budgetMs = await nextBudgetMs(db, kind, opts.budgetSeconds);
  const stop = new AbortController();
  const outer = opts.signal;
  const forward = () => stop.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener("abort", forward, { once: true });
  const timer = setTimeout(() => stop.abort(new StageBudgetExceeded(kind, budgetMs)), budgetMs);
  try {
    return await job({ trigger: opts.trigger, signal: stop.signal, budgetMs, onProgress: opts.onProgress });
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", forward);
  }
}
