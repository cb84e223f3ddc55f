// `npm run sync` — one pass of every configured sync (Tyk, analytics, traces), then exit.
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { runAllSyncs } from "@/lib/sync/run-all";
import type { SyncTrigger } from "@/lib/sync/sync-run";

const { values } = parseArgs({ options: { trigger: { type: "string", default: "cli" } } });

async function main() {
  const db = createDb();
  try {
    const results = await runAllSyncs(db, values.trigger as SyncTrigger);
    let failed = false;
    for (const [kind, r] of Object.entries(results)) {
      console.log(`${kind.padEnd(10)} ${r.status.padEnd(9)} ${JSON.stringify(r.counts)}${r.errors.length ? `  errors: ${r.errors.map((e: { step: string; message: string }) => `${e.step}: ${e.message}`).join("; ")}` : ""}`);
      if (r.status === "failed") failed = true;
    }
    if (!Object.keys(results).length) console.log("nothing to sync: no connector is configured");
    process.exitCode = failed ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(`sync failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
