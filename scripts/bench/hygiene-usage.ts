/**
 * `npx tsx scripts/bench/hygiene-usage.ts [--scale 1] [--keys 100000] [--keep]` — what the hygiene
 * page's usage costs on the benchmark's data set: the usage rollup (request_records → usage_days →
 * usage_summaries) cold and warm, and the keys tab's SQL (counts, a sorted page, a flag filter) over
 * `--keys` keys. Prints timings; asserts nothing (README "Access hygiene" quotes a run).
 */
import { createDb } from "@/lib/db";
import { withPgClient } from "@/lib/pg-client";
import { ingestAnalytics } from "@/lib/sync/analytics/ingest";
import { refreshUsage } from "@/lib/sync/usage/rollup";
import { keyFlagCounts, keyHygienePage } from "@/lib/hygiene/keys";
import { policyItems } from "@/lib/hygiene/others";
import { applyMigrations } from "@/scripts/db/migrate";
import { datasetShape, investigationPairs } from "./dataset";
import { generateCatalog, generatePumpRows } from "./generate";
import { startBenchServer } from "./server";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function timed<T>(label: string, fn: () => Promise<T>, rows: string[]): Promise<T> {
  const t = performance.now();
  const r = await fn();
  const ms = performance.now() - t;
  rows.push(`| ${label} | ${ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`} |`);
  console.log(`${label}: ${ms.toFixed(0)} ms`);
  return r;
}

async function main() {
  const shape = datasetShape(arg("scale", 1));
  const totalKeys = Math.max(shape.keys, arg("keys", 100_000));
  const server = await startBenchServer({ keep: process.argv.includes("--keep"), log: console.log });
  const rows: string[] = ["| step | time |", "|---|---|"];
  try {
    const target = await server.database("tl_hygiene");
    const source = await server.database("tl_hygiene_pump");
    await applyMigrations(target);
    await withPgClient(target, (c) => generateCatalog(c, shape, investigationPairs(shape)));
    const pumpRows = await withPgClient(source, (c) => generatePumpRows(c, shape, investigationPairs(shape)));
    const db = createDb(target);
    await ingestAnalytics({ db, sourceUrl: source, databaseUrl: target });
    // The sync bench's estate: more keys than carry traffic (the generator's keys do; these never called).
    await withPgClient(target, async (c) => {
      await c.query(`INSERT INTO keys (key_hash, last4, alias, identity_id, policy_ids, api_ids, snapshot, tyk_created_at)
        SELECT md5('extra-' || k) || md5('x-' || k), lpad((k % 10000)::text, 4, '0'), 'extra-key-' || k, NULL, ARRAY['bench-pol-' || (k % ${shape.policies})],
               ARRAY['bench-api-' || lpad((k % ${shape.apis})::text, 2, '0')], '{}', now() - (k % 400) * interval '1 day'
          FROM generate_series(${shape.keys}, ${totalKeys - 1}) k`);
      await c.query("VACUUM ANALYZE");
    });
    const now = new Date(shape.to + 6 * 3_600_000);
    console.log(`data set: ${pumpRows.toLocaleString()} request records over ${shape.days} days, ${totalKeys.toLocaleString()} keys`);
    const cold = await timed("rollup, cold (every day of the 30-day window)", () => refreshUsage(db, { windowDays: 30, now }), rows);
    const warm = await timed("rollup, warm (the unfinished days only)", () => refreshUsage(db, { windowDays: 30, now }), rows);
    const ctx = { now, rotationDays: 90, unusedDays: 30, usageFrom: cold.coverageFrom };
    const counts = await timed("keys tab: counts of every flag", () => keyFlagCounts(db, ctx), rows);
    await timed("keys tab: page 1 by last used", () => keyHygienePage(db, { sort: "last_used", dir: "desc", page: 1, pageSize: 50 }, ctx), rows);
    await timed("keys tab: unused, page 20", () => keyHygienePage(db, { flag: "unused", sort: "created", dir: "asc", page: 20, pageSize: 50 }, ctx), rows);
    await timed("policies tab", () => policyItems(db, ctx, (id) => id), rows);
    console.log(`\n${rows.join("\n")}\n\nrollup: ${cold.daysComputed} days cold, ${warm.daysComputed} warm, ${cold.summaries.toLocaleString()} summaries; flags: ${JSON.stringify(counts)}`);
    await db.$disconnect();
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
