import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startJobLoop, startSyncScheduler } from "./scheduler";
import type { SyncKind, SyncTrigger } from "./sync-run";

const db = {} as PrismaClient;
const flush = () => vi.advanceTimersByTimeAsync(0);

/** Stage runners that count their runs; `hang` ones never end unless told to. */
function stages(hang: SyncKind[] = []) {
  const runs: Record<SyncKind, { trigger: SyncTrigger; at: number }[]> = { tyk: [], analytics: [], traces: [] };
  const release: (() => void)[] = [];
  const signals: AbortSignal[] = [];
  const run = (kind: SyncKind, trigger: SyncTrigger, signal: AbortSignal) => {
    runs[kind].push({ trigger, at: Date.now() });
    signals.push(signal);
    if (!hang.includes(kind)) return Promise.resolve();
    return new Promise<void>((resolve) => release.push(resolve));
  };
  return { runs, run, release, signals };
}

describe("startSyncScheduler", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs Tyk first at start, then the others, then each on its own timer", async () => {
    const s = stages();
    const scheduler = startSyncScheduler(db, { intervalSeconds: 60, runAtStart: true, run: s.run });
    await flush();
    expect(s.runs.tyk).toHaveLength(1);
    expect(s.runs.analytics).toHaveLength(1);
    expect(s.runs.traces).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect([s.runs.tyk.length, s.runs.analytics.length, s.runs.traces.length]).toEqual([2, 2, 2]);
    expect(scheduler.schedule().every((x) => !x.running && x.nextRunAt !== null)).toBe(true);
    await scheduler.stop();
  });

  it("keeps the other stages on schedule while one stage never ends", async () => {
    const s = stages(["analytics"]);
    const scheduler = startSyncScheduler(db, { intervalSeconds: 60, runAtStart: true, run: s.run });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(s.runs.analytics).toHaveLength(1);
    expect(s.runs.tyk).toHaveLength(11);
    expect(s.runs.traces).toHaveLength(11);
    const analytics = scheduler.schedule().find((x) => x.kind === "analytics")!;
    expect(analytics).toEqual({ kind: "analytics", running: true, nextRunAt: null });
    // Once the stuck run ends, the stage is back on its own timer.
    s.release.shift()!();
    await flush();
    expect(scheduler.schedule().find((x) => x.kind === "analytics")!.nextRunAt).not.toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.runs.analytics).toHaveLength(2);
    s.release.shift()!();
    await scheduler.stop();
  });

  it("holds the others back only for the first stage's first run", async () => {
    const s = stages(["tyk"]);
    const scheduler = startSyncScheduler(db, { intervalSeconds: 60, runAtStart: true, run: s.run });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(s.runs.analytics).toHaveLength(0);
    s.release.shift()!();
    await flush();
    expect(s.runs.analytics).toHaveLength(1);
    expect(s.runs.traces).toHaveLength(1);
    void scheduler.stop();
    await flush();
  });

  it("Sync now joins a run in flight instead of starting a second one", async () => {
    const s = stages(["traces"]);
    const scheduler = startSyncScheduler(db, { intervalSeconds: 60, runAtStart: true, run: s.run });
    await flush();
    void scheduler.runNow();
    await flush();
    expect(s.runs.traces).toHaveLength(1);
    expect(s.runs.tyk.map((r) => r.trigger)).toEqual(["schedule", "manual"]);
    expect(s.runs.analytics.map((r) => r.trigger)).toEqual(["schedule", "manual"]);
    s.release.shift()!();
    await scheduler.stop();
  });

  it("stops: aborts the runs' signal and schedules nothing more", async () => {
    const s = stages();
    const scheduler = startSyncScheduler(db, { intervalSeconds: 60, runAtStart: false, run: s.run });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.runs.tyk).toHaveLength(1);
    await scheduler.stop();
    expect(s.signals.every((sig) => sig.aborted)).toBe(true);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(s.runs.tyk).toHaveLength(1);
    expect(scheduler.schedule().every((x) => x.nextRunAt === null)).toBe(true);
  });
});

describe("startJobLoop", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs its job on its own interval; a job that never ends holds no sync stage", async () => {
    const s = stages();
    const scheduler = startSyncScheduler(db, { intervalSeconds: 60, runAtStart: true, run: s.run });
    const jobRuns: number[] = [];
    const job = startJobLoop("limits-auto", 30, () => {
      jobRuns.push(Date.now());
      return new Promise(() => {}); // a Tyk write that never answers
    });
    expect(job.nextRunAt()).not.toBeNull();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(jobRuns).toHaveLength(1);
    expect(job.nextRunAt()).toBeNull();
    expect(s.runs.tyk).toHaveLength(11);
    await scheduler.stop();
  });

  it("runs again the interval after each run ends, until stopped", async () => {
    let n = 0;
    const job = startJobLoop("limits-auto", 30, async () => { n++; });
    await vi.advanceTimersByTimeAsync(95_000);
    expect(n).toBe(3);
    await job.stop();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(n).toBe(3);
    expect(job.nextRunAt()).toBeNull();
  });
});
