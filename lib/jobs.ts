import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { startSyncScheduler, type SyncScheduler } from "@/lib/sync/scheduler";

const holder = globalThis as unknown as { touchlineScheduler?: SyncScheduler };

/** Starts the server process's periodic work (the sync scheduler) once per process. */
export function startBackgroundJobs(): void {
  if (holder.touchlineScheduler) return;
  const config = env();
  holder.touchlineScheduler = startSyncScheduler(db, {
    intervalSeconds: config.TYK_SYNC_INTERVAL_SECONDS,
    runAtStart: config.TOUCHLINE_SYNC_ON_START,
  });
}

/** The process's scheduler, for "Sync now". */
export function syncScheduler(): SyncScheduler | undefined {
  return holder.touchlineScheduler;
}
