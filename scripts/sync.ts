// `npm run sync` — one pass of every configured sync stage (Tyk, analytics, traces), then exit.
// Prints each running stage's progress at least every 5 s; `--budget-seconds N` bounds each stage
// (default: its configured or derived budget) and a stage past it fails, named, with the reason.
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { formatCount, formatDuration } from "@/lib/format";
import { runAllSyncs } from "@/lib/sync/run-all";
import { STAGE_LABELS } from "@/lib/sync/stages";
import type { SyncKind, SyncProgress, SyncTrigger } from "@/lib/sync/sync-run";

const { values } = parseArgs({
  options: { trigger: { type: "string", default: "cli" }, "budget-seconds": { type: "string" }, quiet: { type: "boolean", default: false } },
});
const budgetSeconds = values["budget-seconds"] === undefined ? undefined : Number(values["budget-seconds"]);
if (budgetSeconds !== undefined && !(Number.isInteger(budgetSeconds) && budgetSeconds > 0)) {
  console.error(`--budget-seconds must be a whole number of seconds above 0, not ${values["budget-seconds"]}`);
  process.exit(2);
}

function progressLine(p: SyncProgress, now = Date.now()): string {
  const counts = Object.entries(p.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${formatCount(n)}`).join(", ");
  const budget = p.budgetMs ? ` of ${formatDuration(p.budgetMs)}` : "";
  return `${STAGE_LABELS[p.kind]}: ${p.step}${counts ? ` — ${counts}` : ""} (${formatDuration(now - p.startedAt.getTime())}${budget})`;
}

async function main() {
  const db = createDb();
  let latest: SyncProgress | null = null;
  let stage: { kind: SyncKind; at: number } | null = null;
  let printedAt = 0;
  const print = () => {
    if (values.quiet || !stage) return;
    console.log(latest?.kind === stage.kind ? progressLine(latest) : `${STAGE_LABELS[stage.kind]}: starting (${formatDuration(Date.now() - stage.at)})`);
    printedAt = Date.now();
  };
  // A line per step change at most every second, and one every 5 s even when nothing moved: a stage
  // that has gone quiet is then visible as such.
  const ticker = setInterval(() => { if (Date.now() - printedAt >= 5000) print(); }, 1000);
  try {
    const results = await runAllSyncs(db, values.trigger as SyncTrigger, {
      budgetSeconds,
      onStageStart: (kind) => {
        stage = { kind, at: Date.now() };
      },
      onProgress: (p) => {
        latest = p;
        if (Date.now() - printedAt >= 1000) print();
      },
    });
    let failed = false;
    for (const [kind, r] of Object.entries(results)) {
      console.log(`${kind.padEnd(10)} ${r.status.padEnd(9)} ${JSON.stringify(r.counts)}${r.errors.length ? `  errors: ${r.errors.map((e) => `${e.step}: ${e.message}`).join("; ")}` : ""}`);
      if (r.status === "failed") failed = true;
    }
    if (!Object.keys(results).length) console.log("nothing to sync: no connector is configured");
    process.exitCode = failed ? 1 : 0;
  } finally {
    clearInterval(ticker);
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(`sync failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
