import { env } from "@/lib/env";
import { checkIdp } from "@/lib/idp-check";
import { startBackgroundJobs } from "@/lib/jobs";
import { log } from "@/lib/log";

/** A missing or malformed variable stops the server with one clear line naming it. */
export function startServer(): void {
  let issuer: string;
  try {
    issuer = env().OIDC_ISSUER;
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
