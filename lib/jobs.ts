import { log } from "@/lib/log";

const holder = globalThis as unknown as { touchlineJobsStarted?: boolean };

/** Starts the server process's periodic work (sync loops) once per process. */
export function startBackgroundJobs(): void {
  if (holder.touchlineJobsStarted) return;
  holder.touchlineJobsStarted = true;
  log.info("background jobs: none configured yet");
}
