import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { accessConfig } from "@/lib/access/config";
import { startAccessJobs, type AccessJobs } from "@/lib/access/jobs";
import { tykClientFor } from "@/lib/sync/connectors";
import { startAutoLimitsJob } from "@/lib/limits/auto/job";
import { startSyncScheduler, type JobLoop, type SyncScheduler } from "@/lib/sync/scheduler";

const holder = globalThis as unknown as { touchlineScheduler?: SyncScheduler; touchlineAccessJobs?: AccessJobs; touchlineAutoLimits?: JobLoop };

/**
 * Starts the server process's periodic work once per process: the sync scheduler, and the access
 * job (rotation deletions, temporary-key expiry, the hygiene usage rollup) and automatic limit mode,
 * each on its own timer.
 */
export function startBackgroundJobs(): void {
  if (holder.touchlineScheduler) return;
  const config = env();
  holder.touchlineScheduler = startSyncScheduler(db, {
    intervalSeconds: config.TYK_SYNC_INTERVAL_SECONDS,
    runAtStart: config.TOUCHLINE_SYNC_ON_START,
  });
  holder.touchlineAccessJobs = startAccessJobs(db, { config: accessConfig(), tykClient: () => tykClientFor(db), firstDelayMs: 5_000 });
  holder.touchlineAutoLimits = startAutoLimitsJob(db, config.LIMITS_AUTO_INTERVAL_SECONDS);
}

/** The process's scheduler, for "Sync now". */
export function syncScheduler(): SyncScheduler | undefined {
  return holder.touchlineScheduler;
}
