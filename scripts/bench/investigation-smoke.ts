/**
 * `npx tsx scripts/bench/investigation-smoke.ts [--rows-per-minute N] [--endpoints N] [--runs N]`
 *
 * Seeds ~500k request records (24 h, one endpoint with a culprit surge plus steady sibling
 * endpoints) into a fresh database, then times investigateEndpoint cold and warm against a
 * hand-written SQL floor (the two aggregates it cannot avoid: the 24 h per-minute percentiles and
 * the caller × minute × bin histogram of B ∪ I). Prints ratios and the plans' scan nodes; asserts
 * nothing. Uses DATABASE_URL's server when set, else a throwaway embedded PostgreSQL.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb } from "@/lib/db";
import { LATENCY_BIN_SQL } from "@/lib/analysis";
import { createDatabase, dropDatabase, startEmbeddedPostgres } from "@/scripts/db/embedded";
import { applyMigrations } from "@/scripts/db/migrate";
import { investigateEndpoint } from "@/lib/investigation/investigate-endpoint";
import { seedScenario } from "@/lib/investigation/testing/seed-scenario";
import { AGGREGATE_WORK_MEM } from "@/lib/investigation/sql";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0);

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function main() {
  const rate = arg("rows-per-minute", 14), others = arg("endpoints", 5) - 1, runs = arg("runs", 15);
  let tmp: string | null = null;
  let stop = async () => {};
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    tmp = await mkdtemp(path.join(tmpdir(), "touchline-bench-pg-"));
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), ephemeral: true });
    serverUrl = server.url;
    stop = server.stop;
  }
  const name = `tl_bench_${Date.now().toString(36)}`;
  const url = await createDatabase(serverUrl, name);
  const client = new pg.Client({ connectionString: url });
  try {
    await applyMigrations(url);
    await client.connect();
    // The throwaway server runs with synchronous_commit=off, and VACUUM never marks a page
    // all-visible while its inserter's commit is asynchronous: without this the visibility map
    // stays empty and no plan can be index-only, unlike a real server.
    await client.query("SET synchronous_commit = on");
    const [seedMs, s] = await time(() => seedScenario(client, { t0: T0, minutesBefore: 1410, minutesAfter: 30, steadyRate: rate, otherEndpoints: others }));
    // Index-only scans need the visibility map; one VACUUM right after a bulk load can leave much
    // of it unset (autovacuum's concurrent snapshot), so repeat as autovacuum eventually would.
    let visible = 0;
    for (let i = 0; i < 5 && visible < 0.95; i++) {
      await client.query("VACUUM ANALYZE request_records, request_callers");
      // request_records is partitioned: its pages are its partitions'.
      const { rows } = await client.query(`SELECT sum(c.relallvisible)::float8 / greatest(sum(c.relpages), 1) AS f
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'request_records'::regclass`);
      visible = rows[0].f;
    }
    console.log(`seeded ${s.rows.toLocaleString()} request records over ${others + 1} endpoints in ${ms(seedMs)}; all-visible pages ${Math.round(visible * 100)}%`);

    const lit = (t: number) => `(to_timestamp(${t} / 1000.0) AT TIME ZONE 'UTC')`;
    const floorSql = [
      `SELECT date_trunc('minute', ts), percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms), count(*)
       FROM request_records WHERE endpoint_id = '${s.endpointId}' AND ts >= ${lit(T0 - 1410 * MIN)} AND ts < ${lit(T0 + 30 * MIN)} GROUP BY 1`,
      `SELECT date_trunc('minute', ts), caller_id, ${LATENCY_BIN_SQL}, sum(weight)
       FROM request_records WHERE endpoint_id = '${s.endpointId}' AND ts >= ${lit(T0 - 65 * MIN)} AND ts < ${lit(T0 + 30 * MIN)} AND weight > 0 GROUP BY 1, 2, 3`,
    ];
    // The floor gets the same sort budget the service sets per query.
    await client.query(`SET work_mem = '${AGGREGATE_WORK_MEM}'`);
    for (const sql of floorSql) {
      const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`)).rows[0]["QUERY PLAN"][0];
      const scans: string[] = [];
      const walk = (n: { "Node Type": string; "Index Name"?: string; "Heap Fetches"?: number; Plans?: unknown[] }) => {
        if (/Scan/.test(n["Node Type"])) scans.push(`${n["Node Type"]}${n["Index Name"] ? ` on ${n["Index Name"]}` : ""}${n["Heap Fetches"] != null ? ` (heap fetches ${n["Heap Fetches"]})` : ""}`);
        for (const c of (n.Plans ?? []) as (typeof n)[]) walk(c);
      };
      walk(plan.Plan);
      console.log(`plan: ${scans.join(", ")} — ${ms(plan["Execution Time"])}`);
    }
    const floorRun = async () => { for (const sql of floorSql) await client.query(sql); };
    const floors: number[] = [];
    for (let i = 0; i < runs; i++) floors.push((await time(floorRun))[0]);

    const db = createDb(url);
    const input = { endpointId: s.endpointId, now: T0 + 40 * MIN };
    const [cold, first] = await time(() => investigateEndpoint(db, input));
    const warm: number[] = [];
    const stages = new Map<string, number[]>();
    const onStage = (name: string, t: number) => stages.set(name, [...(stages.get(name) ?? []), t]);
    for (let i = 0; i < runs; i++) warm.push((await time(() => investigateEndpoint(db, { ...input, onStage })))[0]);
    const [explicitMs] = await time(() => investigateEndpoint(db, { ...input, from: T0 - 1410 * MIN, to: T0 + 30 * MIN }));
    await db.$disconnect();

    console.log(`top suspects: ${first.suspects.slice(0, 3).map((x) => `${x.kind}:${x.label} ${Math.round(x.share.point * 100)}%`).join(", ")}`);
    console.log(`SQL floor      p50 ${ms(pct(floors, 0.5))}  p95 ${ms(pct(floors, 0.95))}`);
    console.log(`investigation  cold ${ms(cold)}  warm p50 ${ms(pct(warm, 0.5))}  p95 ${ms(pct(warm, 0.95))}  (explicit 24 h window ${ms(explicitMs)})`);
    console.log(`warm stages (p50): ${[...stages].map(([k, v]) => `${k} ${ms(pct(v, 0.5))}`).join(", ")}`);
    console.log(`ratio warm p50 / floor p50 = ${(pct(warm, 0.5) / pct(floors, 0.5)).toFixed(2)}; cold / floor = ${(cold / pct(floors, 0.5)).toFixed(2)}`);
    console.log(`budget: p95 ≤ 250 ms warm for a 24 h window → ${pct(warm, 0.95) <= 250 ? "within" : "OVER"}`);
  } finally {
    await client.end().catch(() => {});
    await dropDatabase(serverUrl, name).catch(() => {});
    await stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
