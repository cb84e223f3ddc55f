/**
 * Generates the benchmark data set inside PostgreSQL with generate_series (no row-by-row inserts):
 * Touchline's catalog (APIs, endpoints, identities, keys, policies with version histories and their
 * access changes) in the Touchline database, and Tyk Pump's `tyk_analytics` rows in the pump
 * database. Randomness is a hash of the row number (hashint8extended), so the rows are the same on
 * every run whatever plan or parallelism Postgres picks.
 */
import type pg from "pg";
import { PUMP_SCHEMA_SQL } from "@/simulators/tyk-dashboard/pump-schema";
import { DAY, MINUTE, apiId, apiOfEndpoint, endpointId, type DatasetShape, type Pair } from "./dataset";

export const tsLit = (ms: number) => `to_timestamp(${ms / 1000})`;
/** A UTC timestamp(3) literal for Prisma's `timestamp` columns. */
export const utc = (ms: number) => `(to_timestamp(${ms / 1000}) AT TIME ZONE 'UTC')`;

export const RAND_FN = `CREATE OR REPLACE FUNCTION bench_r(i bigint, k int) RETURNS float8 IMMUTABLE PARALLEL SAFE LANGUAGE sql
  AS $$ SELECT (hashint8extended(i, k) & 4503599627370495)::float8 / 4503599627370496.0 $$`;
/**
 * A lognormal latency in whole ms (≥ 1) with the given median and σ, from row `i`'s hashes `seed` and
 * `seed + 1` (Box–Muller).
 */
export const lognormalMsSql = (median: string, sigma: number, i: string, seed: number) =>
  `GREATEST(1, round(${median} * exp(${sigma} * sqrt(-2 * ln(1 - bench_r(${i}, ${seed}))) * cos(2 * pi() * bench_r(${i}, ${seed + 1})))))::bigint`;
export const keyHashSql = (k: string) => `encode(sha256(('bench-key-' || ${k})::bytea), 'hex')`;

/** Touchline's side: what a Tyk sync and the traces sync would have stored. */
export async function generateCatalog(c: pg.Client, s: DatasetShape, pairs: Pair[]): Promise<void> {
  await c.query(RAND_FN);
  await c.query("SET TIME ZONE 'UTC'");
  const q = (sql: string, params: unknown[] = []) => c.query(sql, params);
  await insertTopology(c, s);
  // Policy p reaches API p % apis, except incident j's culprit policy (p = j) which reaches its endpoint's API.
  const culpritApi = pairs.map((p) => apiId(apiOfEndpoint(p.endpoint)));
  const span = s.to - s.from;
  await q(`INSERT INTO policies (id, name, rate, per, api_ids, snapshot, version, last_updated)
    SELECT 'bench-pol-' || p, 'bench-policy-' || p, 6000, 60, ARRAY[COALESCE(($2::text[])[p + 1], 'bench-api-' || lpad((p % $3::int)::text, 2, '0'))],
           '{"rate": 6000, "per": 60}', 3, ${utc(s.to)}
    FROM generate_series(0, $1::int - 1) p`, [s.policies, culpritApi, s.apis]);
  // Three versions each: 60 → 600 at a random time in the first half, 600 → 6000 in the second;
  // a culprit policy gets its second raise exactly at its incident's change time.
  await q(`CREATE TEMP TABLE bench_policy_times AS
    SELECT p, ${s.from}::float8 + bench_r(p, 11) * ${span / 2} AS t2,
           COALESCE(($2::float8[])[p + 1], ${s.from + span / 2}::float8 + bench_r(p, 12) * ${span / 2 - MINUTE}) AS t3
    FROM generate_series(0, $1::int - 1) p`, [s.policies, pairs.map((p) => p.changeAt)]);
  await q(`UPDATE bench_policy_times SET t2 = LEAST(t2, t3 - 3600000)`);
  await q(`INSERT INTO policy_versions (id, policy_id, version, snapshot, diff, observed_at)
    SELECT 'bench-pv-' || p || '-' || v, 'bench-pol-' || p, v, jsonb_build_object('rate', r, 'per', 60),
           CASE WHEN v = 1 THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('path', 'rate', 'before', r / 10, 'after', r)) END,
           to_timestamp(t / 1000) AT TIME ZONE 'UTC'
    FROM bench_policy_times, LATERAL (VALUES (1, 60, ${s.from - DAY}::float8), (2, 600, t2), (3, 6000, t3)) v(v, r, t)`);
  await q(`INSERT INTO access_changes (id, kind, action, target_id, target_label, version, actor, changed_at, time_source, diff, api_ids, key_hashes)
    SELECT 'bench-ac-' || pt.p || '-' || v, 'policy', 'update', 'bench-pol-' || pt.p, 'bench-policy-' || pt.p, v,
           'admin-' || (pt.p % 25) || '@acme.test', to_timestamp(t / 1000) AT TIME ZONE 'UTC', 'audit',
           jsonb_build_array(jsonb_build_object('path', 'rate', 'before', r / 10, 'after', r)), pol.api_ids,
           CASE WHEN pt.p < $1::int THEN ARRAY[${keyHashSql("pt.p")}] ELSE '{}' END
    FROM bench_policy_times pt JOIN policies pol ON pol.id = 'bench-pol-' || pt.p,
         LATERAL (VALUES (2, 600, pt.t2), (3, 6000, pt.t3)) v(v, r, t)`, [pairs.length]);

  // Key k: identity k % identities, policy k % policies. Keys 0..pairs-1 are the incidents' culprits.
  await insertKeys(c, s, s.from - DAY);
  await q("ANALYZE");
}

/** APIs, endpoints (endpoint e on API e / 10) and identities, named as dataset.ts names them. */
export async function insertTopology(c: pg.Client, w: { apis: number; endpoints: number; identities: number }): Promise<void> {
  await c.query(`INSERT INTO apis (id, name, listen_path, definition)
    SELECT 'bench-api-' || lpad(a::text, 2, '0'), 'Bench API ' || a, '/svc-' || lpad(a::text, 2, '0') || '/', '{}'
    FROM generate_series(0, $1::int - 1) a`, [w.apis]);
  await c.query(`INSERT INTO endpoints (id, api_id, method, path, operation)
    SELECT 'bench-ep-' || lpad(e::text, 3, '0'), 'bench-api-' || lpad((e / 10)::text, 2, '0'),
           CASE WHEN e % 2 = 0 THEN 'GET' ELSE 'POST' END, p, CASE WHEN e % 2 = 0 THEN 'GET ' ELSE 'POST ' END || p
    FROM generate_series(0, $1::int - 1) e, LATERAL (SELECT '/svc-' || lpad((e / 10)::text, 2, '0') || '/res-' || (e % 10) || '/{id}' AS p) t`, [w.endpoints]);
  await c.query(`INSERT INTO identities (id, kind, external_id, name, team)
    SELECT 'bench-id-' || i, 'service', 'svc-bench-' || i, 'Bench service ' || i, 'team-' || (i % 40) FROM generate_series(0, $1::int - 1) i`, [w.identities]);
}

/** Key k: identity k % identities, policy k % policies (whose APIs it gets), created at `createdAt`. */
export async function insertKeys(c: pg.Client, w: { keys: number; identities: number; policies: number }, createdAt: number): Promise<void> {
  await c.query(`INSERT INTO keys (key_hash, last4, alias, identity_id, policy_ids, api_ids, snapshot, tyk_created_at)
    SELECT ${keyHashSql("k")}, lpad((k % 10000)::text, 4, '0'), 'bench-key-' || k, 'bench-id-' || (k % $2::int),
           ARRAY['bench-pol-' || (k % $3::int)], pol.api_ids, '{}', ${utc(createdAt)}
    FROM generate_series(0, $1::int - 1) k JOIN policies pol ON pol.id = 'bench-pol-' || (k % $3::int)`, [w.keys, w.identities, w.policies]);
}

/**
 * Tyk Pump's `tyk_analytics` in the pump database: time-ordered base traffic (half of it on the
 * busy endpoints, the rest skewed over the others; callers skewed over keys; lognormal latency,
 * 1 % errors) plus, for every investigation pair, a 45-minute surge of slow requests from the
 * pair's culprit key. Total rows = s.rows.
 */
export async function generatePumpRows(c: pg.Client, s: DatasetShape, pairs: Pair[]): Promise<number> {
  await preparePumpTable(c, s.keys, s.policies);
  const surgeRows = pairs.length * s.surgeRate * s.surgeMinutes;
  const base = Math.max(0, s.rows - surgeRows);
  const step = (s.to - s.from) / 1000 / Math.max(1, base);
  await insertPumpRows(c, `
      SELECT i, ${tsLit(s.from)} + make_interval(secs => i * ${step}) AS ts,
             CASE WHEN u < 0.5 THEN floor(u * ${2 * s.busy})::int
                  ELSE ${s.busy} + LEAST(${s.endpoints - s.busy - 1}, floor(${s.endpoints - s.busy} * power((u - 0.5) * 2, 2))::int) END AS e,
             ${pairs.length} + floor(${s.keys - pairs.length} * power(bench_r(i, 3), 2))::int AS k,
             ${lognormalMsSql("60", 0.5, "i", 4)} AS lat,
             CASE WHEN bench_r(i, 6) < 0.01 THEN 500 ELSE 200 END AS status
      FROM generate_series(0, ${base - 1}::bigint) i, LATERAL (SELECT bench_r(i, 1) AS u) r`);
  if (surgeRows > 0) {
    const perPair = s.surgeRate * s.surgeMinutes;
    const gap = (s.surgeMinutes * 60) / perPair;
    await insertPumpRows(c, `
        SELECT ${base}::bigint + j * ${perPair} + n AS i, to_timestamp(st / 1000.0) + make_interval(secs => n * ${gap} + 0.0005) AS ts, e, j AS k,
               ${lognormalMsSql("900", 0.4, "j * 100000 + n", 7)} AS lat,
               200 AS status
        FROM unnest($1::int[], $2::float8[]) WITH ORDINALITY AS x(e, st, j1), LATERAL (SELECT (j1 - 1)::int AS j) jj,
             generate_series(0, ${perPair - 1}) n`, [pairs.map((p) => p.endpoint), pairs.map((p) => p.surgeStart)]);
  }
  return finishPumpTable(c);
}

/** An empty `tyk_analytics` and the keys' pump-side facts (hash, policy, alias) for the projection. */
export async function preparePumpTable(c: pg.Client, keys: number, policies: number): Promise<void> {
  await c.query(RAND_FN);
  await c.query("SET TIME ZONE 'UTC'");
  await c.query(PUMP_SCHEMA_SQL.split(";\n").filter((x) => x.startsWith("CREATE TABLE")).join(";"));
  await c.query(`CREATE TEMP TABLE bench_keys AS
    SELECT k, ${keyHashSql("k")} AS hash, 'bench-pol-' || (k % ${policies}) AS pol, 'bench-key-' || k AS alias FROM generate_series(0, ${keys - 1}) k`);
  await c.query("CREATE UNIQUE INDEX ON bench_keys (k)");
}

const PUMP_INSERT_COLUMNS = `method, host, path, rawpath, contentlength, useragent, day, month, year, hour, responsecode, apikey, "timestamp",
    apiversion, api_name, apiid, orgid, oauthid, requesttime, ipaddress, latency_total, latency_upstream, latency_gateway, tags, alias,
    trackpath, originalpath, listenpath`;

/**
 * Inserts pump rows for `g`, a query with columns (i bigint: a row number, unique across the data
 * set; ts; e: endpoint index; k: key index; lat: ms; status), in `orderBy` order when given.
 */
export async function insertPumpRows(c: pg.Client, g: string, params: unknown[] = [], orderBy?: string): Promise<void> {
  await c.query(`INSERT INTO tyk_analytics (${PUMP_INSERT_COLUMNS})
    WITH g AS (${g})
    SELECT CASE WHEN g.e % 2 = 0 THEN 'GET' ELSE 'POST' END, 'gw.bench.test', p.path, p.path, (g.i % 2000)::bigint, 'bench-client/1.0',
           extract(day FROM g.ts)::bigint, extract(month FROM g.ts)::bigint, extract(year FROM g.ts)::bigint, extract(hour FROM g.ts)::bigint,
           g.status, bk.hash, g.ts, '', 'Bench API ' || (g.e / 10), 'bench-api-' || lpad((g.e / 10)::text, 2, '0'),
           'bench-org', '', g.lat, '10.' || (g.k % 250) || '.' || (g.i % 250) || '.7', g.lat, GREATEST(0, g.lat - 2), 2,
           '["pol-' || bk.pol || '","key-' || bk.hash || '"]', bk.alias, false, p.path, '/svc-' || lpad((g.e / 10)::text, 2, '0') || '/'
    FROM g JOIN bench_keys bk ON bk.k = g.k,
         LATERAL (SELECT '/svc-' || lpad((g.e / 10)::text, 2, '0') || '/res-' || (g.e % 10) || '/' || (g.i % 100000) AS path) p
    ${orderBy ? `ORDER BY ${orderBy}` : ""}`, params);
}

/** The pump's own indexes (ingestion reads by timestamp), built once after the load; returns the row count. */
export async function finishPumpTable(c: pg.Client): Promise<number> {
  for (const stmt of PUMP_SCHEMA_SQL.split(";\n").filter((x) => x.startsWith("CREATE INDEX"))) await c.query(stmt);
  await c.query("VACUUM ANALYZE tyk_analytics");
  const { rows } = await c.query<{ n: string }>("SELECT count(*) AS n FROM tyk_analytics");
  return Number(rows[0].n);
}

/**
 * latency_points as the trace backend would report them: per endpoint-minute percentiles of the
 * ingested requests (what the traces sync stores), so the investigation reads its series there.
 */
export async function deriveLatencyPoints(c: pg.Client): Promise<number> {
  await c.query("SET work_mem = '256MB'");
  const r = await c.query(`INSERT INTO latency_points (endpoint_id, ts, p50, p95, p99, count, errors)
    SELECT endpoint_id, date_trunc('minute', ts),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms),
           percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms), count(*), count(*) FILTER (WHERE status >= 500)
    FROM request_records WHERE endpoint_id IS NOT NULL GROUP BY 1, 2`);
  await c.query("RESET work_mem");
  await c.query("VACUUM ANALYZE latency_points");
  return r.rowCount ?? 0;
}

export { endpointId };
