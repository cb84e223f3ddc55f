import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { startAuditCheckpoints } from "@/lib/audit/checkpoint-job";
import { checkIdp } from "@/lib/idp-check";
import { startBackgroundJobs } from "@/lib/jobs";
import { log } from "@/lib/log";

/** A missing or malformed variable stops the server with one clear line naming it. */
export function startServer(): void {
  let issuer: string;
  try {
    const config = env();
    issuer = config.OIDC_ISSUER;
    // Without the key a database writer can re-hash the audit trail unnoticed: production refuses to run so.
    if (config.NODE_ENV === "production" && !config.TOUCHLINE_AUDIT_KEY) throw new Error("TOUCHLINE_AUDIT_KEY: required in production (openssl rand -base64 32)");
    startAuditCheckpoints(db, config.TOUCHLINE_AUDIT_CHECKPOINT_SECONDS);
  } catch (err) {
    console.error(`touchline: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  // Not fatal: the IdP may come up after the console; until then sign-in fails, and the log says why.
  void checkIdp(issuer).then((problem) => {
    if (problem) log.error({ issuer }, `OIDC_ISSUER: ${problem}; sign-in will fail until it answers`);
  });
  startBackgroundJobs();
}
