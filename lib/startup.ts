import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { startAuditCheckpoints } from "@/lib/audit/checkpoint-job";
import { startBackgroundJobs } from "@/lib/jobs";

/** A missing or malformed variable stops the server with one clear line naming it. */
export function startServer(): void {
  try {
    const config = env();
    // Without the key a database writer can re-hash the audit trail unnoticed: production refuses to run so.
    if (config.NODE_ENV === "production" && !config.TOUCHLINE_AUDIT_KEY) throw new Error("TOUCHLINE_AUDIT_KEY: required in production (openssl rand -base64 32)");
    startAuditCheckpoints(db, config.TOUCHLINE_AUDIT_CHECKPOINT_SECONDS);
  } catch (err) {
    console.error(`touchline: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  startBackgroundJobs();
}
