import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { runStage, STAGE_KINDS } from "./stages";
import type { SyncKind, SyncTrigger } from "./sync-run";

export interface StageSchedule {
  kind: SyncKind;
  running: boolean;
  /** When the stage runs next on its own timer (null while it runs). */
  nextRunAt: Date | null;
}

export interface SyncScheduler {
  /** Runs every stage now (Tyk first, then the others), joining runs already in flight. */
  runNow(): Promise<void>;
  /** Each stage's place in its own loop. */
  schedule(): StageSchedule[];
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  intervalSeconds: number;
  runAtStart: boolean;
  /** Runs one stage; by default `runStage` with its budget. */
  run?: (kind: SyncKind, trigger: SyncTrigger, signal: AbortSignal) => Promise<unknown>;
  kinds?: readonly SyncKind[];
}

/** One stage's (or job's) loop: run, wait the interval from the end of the run, run again. */
class StageLoop<K extends string = SyncKind> {
  private current: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  nextRunAt: Date | null = null;

  constructor(
    readonly kind: K,
    private readonly intervalMs: number,
    private readonly run: (trigger: SyncTrigger) => Promise<unknown>,
    private readonly stopped: AbortSignal,
  ) {}

  get running(): boolean {
    return this.current !== null;
  }

  start(trigger: SyncTrigger): Promise<void> {
    if (this.current) return this.current;
    this.cancelTimer();
    this.current = this.run(trigger)
      .then(() => undefined)
      .catch((err) => log.error({ kind: this.kind, err: err instanceof Error ? err.message : String(err) }, "sync stage failed"))
      .finally(() => {
        this.current = null;
        this.later();
      });
    return this.current;
  }

  later(): void {
    if (this.stopped.aborted) return;
    this.cancelTimer();
    this.nextRunAt = new Date(Date.now() + this.intervalMs);
    this.timer = setTimeout(() => void this.start("schedule"), this.intervalMs);
  }

  cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAt = null;
  }

  async stop(): Promise<void> {
    this.cancelTimer();
    await this.current;
  }
}

/**
 * Runs each sync stage on its own timer (the interval counted from the end of its last run), so a
 * long backfill or a stuck upstream in one stage never holds up the others; each run is bounded by
 * its stage's time budget (runStage). At start Tyk runs first and the others follow its first run,
 * so the first requests and traces are matched against a synced configuration. Advisory locks inside
 * each stage keep several server processes from running the same stage at once.
 */
export function startSyncScheduler(db: PrismaClient, opts: SchedulerOptions): SyncScheduler {
  const abort = new AbortController();
  const run = opts.run ?? ((kind, trigger, signal) => runStage(db, kind, { trigger, signal }));
  const loops = (opts.kinds ?? STAGE_KINDS).map((kind) =>
    new StageLoop(kind, opts.intervalSeconds * 1000, (trigger) => run(kind, trigger, abort.signal), abort.signal));
  const [first, ...rest] = loops;

  const startAll = async (trigger: SyncTrigger) => {
    await first?.start(trigger);
    if (abort.signal.aborted) return;
    await Promise.all(rest.map((l) => l.start(trigger)));
  };

  if (opts.runAtStart) {
    // The others wait for the first stage's first run only: from then on each keeps its own time.
    for (const l of rest) l.cancelTimer();
    void startAll("schedule");
  } else {
    for (const l of loops) l.later();
  }

  return {
    runNow: () => startAll("manual"),
    schedule: () => loops.map((l) => ({ kind: l.kind, running: l.running, nextRunAt: l.nextRunAt })),
    async stop() {
      abort.abort(new Error("the server is shutting down"));
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}

export interface JobLoop {
  /** When the job runs next (null while it runs). */
  nextRunAt(): Date | null;
  stop(): Promise<void>;
}

/**
 * A periodic job beside the sync stages, on its own timer (the interval counted from the end of its
 * last run): like a stage, a slow or stuck run of it never holds up the syncs, nor they it.
 */
export function startJobLoop(name: string, intervalSeconds: number, run: (signal: AbortSignal) => Promise<unknown>): JobLoop {
  const abort = new AbortController();
  const loop = new StageLoop(name, intervalSeconds * 1000, () => run(abort.signal), abort.signal);
  loop.later();
  return {
    nextRunAt: () => loop.nextRunAt,
    async stop() {
      abort.abort(new Error("the server is shutting down"));
      await loop.stop();
    },
  };
}
