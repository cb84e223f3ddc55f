/**
 * Generates a density world (density.ts) inside PostgreSQL, as generate.ts does the main data set:
 * the catalog in Touchline's database, `tyk_analytics` rows in the pump database, randomness a
 * hash of the row number so every run (and every tier's background) is the same.
 */
import type pg from "pg";
import { withPgClient } from "@/lib/pg-client";
import { applyMigrations } from "@/scripts/db/migrate";
import { DAY } from "./dataset";
import { KEY_SKEW, type DensityTraffic } from "./density";
import {
  RAND_FN, finishPumpTable, insertKeys, insertPumpRows, insertTopology, keyHashSql, lognormalMsSql, preparePumpTable, tsLit, utc,
} from "./generate";
import type { BenchServer } from "./server";

/** Row numbers of the background and the surge start here, so they are the same whatever the hot rate. */
const BACKGROUND_ROW = 10_000_000_000;
const SURGE_ROW = 20_000_000_000;
/** Keys below this are the heavy callers that brush their limits (2 % of their requests rejected). */
const HEAVY_KEYS = 10;

export interface DensityDatabases {
  /** Touchline's database: migrated, with the catalog. */
  target: string;
  /** The pump's database, with `rows` rows in tyk_analytics. */
  source: string;
  rows: number;
}

/**
 * Generates `t` into two fresh databases named after `name` (the pump rows by `pumpRows`), runs `run`
 * on them, then drops them.
 */
export async function withDensityWorld<T>(
  server: BenchServer, name: string, t: DensityTraffic, log: (s: string) => void, run: (d: DensityDatabases) => Promise<T>,
  pumpRows: (c: pg.Client, t: DensityTraffic) => Promise<number> = generateDensityPumpRows,
): Promise<T> {
  const target = await server.database(name);
  const source = await server.database(`${name}_pump`);
  try {
    await applyMigrations(target);
    await withPgClient(target, (c) => generateDensityCatalog(c, t));
    const started = performance.now();
    const rows = await withPgClient(source, (c) => pumpRows(c, t));
    log(`  ${name}: ${rows.toLocaleString("en-US")} pump rows generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return await run({ target, source, rows });
  } finally {
    await server.drop(target);
    await server.drop(source);
  }
}

/**
 * APIs, endpoints, identities, keys, and policies that reach every API: a third of them changed
 * once during the period (distractors), the culprit's raised at the incident's change time. Each
 * change is an audited access change reaching the policy's keys, with the versions' snapshots.
 */
export async function generateDensityCatalog(c: pg.Client, t: DensityTraffic): Promise<void> {
  const w = t.world;
  await c.query(RAND_FN);
  await c.query("SET TIME ZONE 'UTC'");
  await insertTopology(c, w);
  const culprit = t.incident?.culpritPolicy ?? -1;
  // Limits far above what any key sends at this density, but the culprit's.
  const ample = Math.max(60, Math.ceil(10 * (t.hotRate + t.backgroundRate) * 60));
  await c.query(`CREATE TEMP TABLE bench_policy_limits AS
    SELECT p, (p = $2::int OR bench_r(p, 51) < 1.0 / 3) AS changed,
           CASE WHEN p = $2::int THEN $3::float8 ELSE ${t.from}::float8 + bench_r(p, 52) * ${t.to - t.from} END AS t,
           CASE WHEN p = $2::int THEN $4::int ELSE ${ample} END AS before,
           CASE WHEN p = $2::int THEN $5::int ELSE ${2 * ample} END AS after
    FROM generate_series(0, $1::int - 1) p`,
  [w.policies, culprit, t.incident?.changeAt ?? 0, t.incident?.limitBefore ?? 0, t.incident?.limitAfter ?? 0]);
  await c.query(`INSERT INTO policies (id, name, rate, per, api_ids, snapshot, version, last_updated)
    SELECT 'bench-pol-' || p, 'bench-policy-' || p, rate, 60,
           ARRAY(SELECT 'bench-api-' || lpad(a::text, 2, '0') FROM generate_series(0, $1::int - 1) a),
           jsonb_build_object('rate', rate, 'per', 60), CASE WHEN changed THEN 2 ELSE 1 END, ${utc(t.to)}
    FROM bench_policy_limits, LATERAL (SELECT CASE WHEN changed THEN after ELSE before END AS rate) r`, [w.apis]);
  await c.query(`INSERT INTO policy_versions (id, policy_id, version, snapshot, diff, observed_at)
    SELECT 'bench-pv-' || p || '-' || v, 'bench-pol-' || p, v, jsonb_build_object('rate', r, 'per', 60), d,
           to_timestamp(ts / 1000) AT TIME ZONE 'UTC'
    FROM bench_policy_limits,
         LATERAL (VALUES (1, before, ${t.from - DAY}::float8, '[]'::jsonb),
                         (2, after, t, jsonb_build_array(jsonb_build_object('path', 'rate', 'before', before, 'after', after)))) v(v, r, ts, d)
    WHERE v = 1 OR changed`);
  await c.query(`INSERT INTO access_changes (id, kind, action, target_id, target_label, version, actor, changed_at, time_source, diff, api_ids, key_hashes)
    SELECT 'bench-ac-' || l.p || '-2', 'policy', 'update', 'bench-pol-' || l.p, 'bench-policy-' || l.p, 2,
           'admin-' || (l.p % 25) || '@acme.test', to_timestamp(l.t / 1000) AT TIME ZONE 'UTC', 'audit',
           jsonb_build_array(jsonb_build_object('path', 'rate', 'before', l.before, 'after', l.after)), pol.api_ids,
           ARRAY(SELECT ${keyHashSql("k")} FROM generate_series(l.p, $1::int - 1, $2::int) k)
    FROM bench_policy_limits l JOIN policies pol ON pol.id = 'bench-pol-' || l.p
    WHERE l.changed`, [w.keys, w.policies]);
  await insertKeys(c, w, t.from - DAY);
  await c.query("ANALYZE");
}

/**
 * The period's pump rows, in time order as a pump writes them: the hot endpoint at hotRate req/s,
 * the background spread over the other endpoints (skewed to the first ones), the culprit's surge;
 * callers skewed (KEY_SKEW); lognormal latency per endpoint; 1 % errors; 429s (fast, no upstream
 * time) for 2 % of the heavy callers' requests and 10 % of the culprit's before its policy rose;
 * the culprit's requests slow during its surge. Returns the row count.
 */
export async function generateDensityPumpRows(c: pg.Client, t: DensityTraffic): Promise<number> {
  const w = t.world;
  await preparePumpTable(c, w.keys, w.policies);
  // The time-ordering sort below: a day at 100 req/s is 8.7 M narrow rows.
  await c.query("SET work_mem = '1GB'");
  const inc = t.incident;
  const key = (i: string) => `floor(${w.keys} * power(bench_r(${i}, 3), ${KEY_SKEW}))::int`;
  const firstBg = t.hotRate > 0 ? 1 : 0;
  const parts: string[] = [];
  if (t.hotRows > 0) {
    parts.push(`SELECT i, ${tsLit(t.from)} + make_interval(secs => i * ${1 / t.hotRate}) AS ts, 0 AS e, ${key("i")} AS k
      FROM generate_series(0, ${t.hotRows - 1}::bigint) i`);
  }
  if (t.backgroundRows > 0) {
    parts.push(`SELECT i, ${tsLit(t.from)} + make_interval(secs => (i - ${BACKGROUND_ROW} + 0.5) * ${1 / t.backgroundRate}) AS ts,
        ${firstBg} + LEAST(${w.endpoints - firstBg - 1}, floor(${w.endpoints - firstBg} * power(bench_r(i, 1), 2))::int) AS e, ${key("i")} AS k
      FROM generate_series(${BACKGROUND_ROW}::bigint, ${BACKGROUND_ROW + t.backgroundRows - 1}::bigint) i`);
  }
  if (inc && inc.surgeRows > 0) {
    const gap = (inc.surgeEnd - inc.surgeStart) / 1000 / inc.surgeRows;
    parts.push(`SELECT i, ${tsLit(inc.surgeStart)} + make_interval(secs => (i - ${SURGE_ROW}) * ${gap} + 0.0005) AS ts, 0 AS e, ${inc.culpritKey} AS k
      FROM generate_series(${SURGE_ROW}::bigint, ${SURGE_ROW + inc.surgeRows - 1}::bigint) i`);
  }
  const culprit = inc?.culpritKey ?? -1;
  const rejectP = inc
    ? `CASE WHEN b.k = ${culprit} THEN CASE WHEN b.ts < ${tsLit(inc.changeAt)} THEN 0.1 ELSE 0 END WHEN b.k < ${HEAVY_KEYS} THEN 0.02 ELSE 0 END`
    : `CASE WHEN b.k < ${HEAVY_KEYS} THEN 0.02 ELSE 0 END`;
  const surging = inc ? `b.k = ${culprit} AND b.ts >= ${tsLit(inc.surgeStart)} AND b.ts < ${tsLit(inc.surgeEnd)}` : "false";
  await insertPumpRows(c, `
    SELECT b.i, b.ts, b.e, b.k, s.status,
           CASE WHEN s.status = 429 THEN 1 + floor(3 * bench_r(b.i, 8))::bigint
                WHEN ${surging} THEN ${lognormalMsSql("900", 0.4, "b.i", 9)}
                ELSE ${lognormalMsSql("(40 + 15 * (b.e % 7))", 0.5, "b.i", 4)} END AS lat
    FROM (${parts.join("\n      UNION ALL\n      ")}) b,
         LATERAL (SELECT CASE WHEN bench_r(b.i, 6) < ${rejectP} THEN 429 WHEN bench_r(b.i, 7) < 0.01 THEN 500 ELSE 200 END AS status) s
    ORDER BY b.ts`);
  await c.query("RESET work_mem");
  return finishPumpTable(c);
}
