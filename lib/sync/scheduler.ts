import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { runAllSyncs } from "./run-all";

export interface SyncScheduler {
  /** Runs a pass now unless one is in flight; resolves when that pass ends. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs every sync now (optionally) and then every `intervalSeconds`, timed from the end of one
 * pass to the start of the next so slow passes never pile up. Advisory locks inside each sync
 * also keep several server processes from running the same sync at once.
 */
export function startSyncScheduler(db: PrismaClient, opts: { intervalSeconds: number; runAtStart: boolean }): SyncScheduler {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;

  const pass = (trigger: "schedule" | "manual"): Promise<void> => {
    if (current) return current;
    if (timer) clearTimeout(timer);
    current = runAllSyncs(db, trigger, abort.signal)
      .then(() => undefined)
      .catch((err) => log.error({ err: err instanceof Error ? err.message : String(err) }, "sync pass failed"))
      .finally(() => {
        current = null;
        if (!abort.signal.aborted) timer = setTimeout(() => void pass("schedule"), opts.intervalSeconds * 1000);
      });
    return current;
  };

  if (opts.runAtStart) void pass("schedule");
  else timer = setTimeout(() => void pass("schedule"), opts.intervalSeconds * 1000);

  return {
    runNow: () => pass("manual"),
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
