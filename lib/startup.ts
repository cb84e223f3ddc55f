import { env } from "@/lib/env";
import { startBackgroundJobs } from "@/lib/jobs";

/** A missing or malformed variable stops the server with one clear line naming it. */
export function startServer(): void {
  try {
    env();
  } catch (err) {
    console.error(`touchline: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  startBackgroundJobs();
}
