import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";

export type SyncKind = "tyk" | "analytics" | "traces";
export type SyncTrigger = "schedule" | "manual" | "demo" | "cli" | "test";

export interface SyncFault {
  step: string;
  message: string;
  /** A warning: worth a look, but the run did its work (it stays "succeeded"). */
  warning?: boolean;
}

/** Handed to a sync job so it can report progress and non-fatal faults while it runs. */
export interface SyncContext {
  runId: string;
  signal?: AbortSignal;
  progress(step: string, done: number, total?: number): Promise<void>;
  count(name: string, n?: number): void;
  /** Sets a count to a running total (progress writes counts with the step). */
  set(name: string, n: number): void;
  fault(step: string, err: unknown): void;
  /** Records a warning (e.g. rows that matched no endpoint): shown with the run, not a failure. */
  warn(step: string, message: string): void;
}

/** A running stage's progress, as the run's row records it. */
export interface SyncProgress {
  kind: SyncKind;
  runId: string;
  step: string;
  done: number;
  total: number | null;
  counts: Record<string, number>;
  startedAt: Date;
  budgetMs: number | null;
}

/** What every sync job takes from whoever runs it (the scheduler, a CLI, a test). */
export interface SyncRunOptions {
  trigger: SyncTrigger;
  /** Aborts the run; a run stopped this way is recorded failed with the signal's reason. */
  signal?: AbortSignal;
  /** The time budget the runner enforces (through `signal`), recorded on the run. */
  budgetMs?: number;
  /** Told of every progress step, as it is written. */
  onProgress?: (p: SyncProgress) => void;
}

export interface SyncResult {
  runId: string;
  status: "succeeded" | "partial" | "failed" | "skipped";
  counts: Record<string, number>;
  errors: SyncFault[];
}

// One advisory-lock key per kind, so a tyk sync and a trace sync may overlap but two tyk syncs never do.
const LOCK_KEYS: Record<SyncKind, number> = { tyk: 7_411_001, analytics: 7_411_002, traces: 7_411_003 };

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The part of a job's options that withSyncRun takes. */
export function runOptionsOf(o: SyncRunOptions): Pick<SyncRunOptions, "signal" | "budgetMs" | "onProgress"> {
  return { signal: o.signal, budgetMs: o.budgetMs, onProgress: o.onProgress };
}

/**
 * Runs `job` as one recorded SyncRun, one at a time per kind (Postgres advisory lock held on a
 * dedicated connection). Faults reported through `ctx.fault` make the run "partial"; a thrown
 * error makes it "failed". Returns status "skipped" when another run of the same kind holds the lock.
 */
export async function withSyncRun(
  db: PrismaClient,
  kind: SyncKind,
  trigger: SyncTrigger,
  job: (ctx: SyncContext) => Promise<void>,
  opts: { actor?: string; signal?: AbortSignal; budgetMs?: number; onProgress?: (p: SyncProgress) => void } = {},
): Promise<SyncResult> {
  const lockKey = LOCK_KEYS[kind];
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${lockKey}) AS locked`;
      if (!locked) return { runId: "", status: "skipped" as const, counts: {}, errors: [] };
      // A run left "running" by a crashed process is closed as failed so the history stays truthful.
      await db.syncRun.updateMany({
        where: { kind, status: "running" },
        data: { status: "failed", finishedAt: new Date(), errors: [{ step: "run", message: "interrupted (process stopped mid-run)" }] },
      });
      const budgetMs = opts.budgetMs === undefined ? null : Math.round(opts.budgetMs);
      const run = await db.syncRun.create({ data: { kind, trigger, actor: opts.actor ?? null, budgetMs } });
      const counts: Record<string, number> = {};
      const errors: SyncFault[] = [];
      const ctx: SyncContext = {
        runId: run.id,
        signal: opts.signal,
        async progress(step, done, total) {
          await db.syncRun.update({ where: { id: run.id }, data: { progress: { step, done, total: total ?? null }, counts } });
          opts.onProgress?.({ kind, runId: run.id, step, done, total: total ?? null, counts: { ...counts }, startedAt: run.startedAt, budgetMs });
        },
        count(name, n = 1) {
          counts[name] = (counts[name] ?? 0) + n;
        },
        set(name, n) {
          counts[name] = n;
        },
        fault(step, err) {
          errors.push({ step, message: errorMessage(err) });
        },
        warn(step, message) {
          errors.push({ step, message, warning: true });
        },
      };
      let status: SyncResult["status"];
      try {
        await job(ctx);
        status = errors.some((e) => !e.warning) ? "partial" : "succeeded";
      } catch (err) {
        // Stopped from outside (a time budget, a shutdown): the reason says why, not the
        // AbortError of whichever call was in flight.
        errors.push({ step: "run", message: errorMessage(opts.signal?.aborted ? opts.signal.reason : err) });
        status = "failed";
      }
      await db.syncRun.update({
        where: { id: run.id },
        data: { status, finishedAt: new Date(), counts, errors: errors as unknown as Prisma.InputJsonValue },
      });
      return { runId: run.id, status, counts, errors };
    },
    // The transaction only holds the lock; the job's own writes use `db` and commit as they go.
    { timeout: 24 * 60 * 60 * 1000, maxWait: 10_000 },
  );
}

/** Reads and writes named watermarks in sync_state. */
export async function readState<T>(db: PrismaClient, name: string): Promise<T | null> {
  const row = await db.syncState.findUnique({ where: { name } });
  return (row?.value as T | undefined) ?? null;
}

export async function writeState(db: PrismaClient, name: string, value: unknown): Promise<void> {
  const json = value as Prisma.InputJsonValue;
  await db.syncState.upsert({ where: { name }, create: { name, value: json }, update: { value: json } });
}
