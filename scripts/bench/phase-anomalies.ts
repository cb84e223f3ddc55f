/**
 * Anomalies: what detection by user type costs per sync (issue 24's target: within 2× a SQL floor).
 * `endpoints` endpoints × `types` user types (types − 1 policies, one key each, plus "no identity"),
 * two weeks of type_hours history and the running hour's records (50 requests per endpoint and
 * caller). Times detectTypeAnomalies re-judging the running hour — what every sync does — against
 * the floor: the same reads it needs (the hour's callers, the hour's latency bins, the callers) and
 * one INSERT of as many type_hours rows, run bare on one connection. The baselines' history is read
 * once per process and kept (detect.ts), so a sync reads none of it: the first run, which does, is
 * timed apart and left out of the median of three.
 */
import type pg from "pg";
import { createDb } from "@/lib/db";
import { LATENCY_BIN_SQL } from "@/lib/analysis/histogram";
import { GATEWAY_REJECTION_SQL } from "@/lib/analysis/rejections";
import { ANOMALY_STATE, detectTypeAnomalies } from "@/lib/anomalies/detect";
import { withPgClient } from "@/lib/pg-client";
import { applyMigrations } from "@/scripts/db/migrate";
import { figure, median, type Figure } from "./results";
import type { BenchServer } from "./server";

const HOUR = 3_600_000;
const HISTORY_DAYS = 14;
const REQUESTS_PER_CALLER = 50;
/** Detection within this multiple of the floor (issue 24 item 6). */
export const ANOMALY_TARGET = 2;

export interface AnomalyLoad {
  endpoints: number;
  /** User types per endpoint, "no identity" included. */
  types: number;
}

const at = (ms: number) => `to_timestamp(${ms / 1000}) AT TIME ZONE 'UTC'`;

async function seed(c: pg.ClientBase, { endpoints, types }: AnomalyLoad, hour: number): Promise<void> {
  const policies = types - 1;
  await c.query(`INSERT INTO apis (id, name, listen_path, definition) VALUES ('bench-api', 'Bench API', '/b/', '{}')`);
  await c.query(`INSERT INTO endpoints (id, api_id, method, path) SELECT 'ep-' || e, 'bench-api', 'GET', '/b/' || e FROM generate_series(0, ${endpoints - 1}) e`);
  await c.query(`INSERT INTO request_callers (key_hash, policy_ids) SELECT 'key-' || p, ARRAY['pol-' || p] FROM generate_series(0, ${policies - 1}) p`);
  const typeRows = `(SELECT 'policy:pol-' || p AS t FROM generate_series(0, ${policies - 1}) p UNION ALL SELECT 'kind:none')`;
  await c.query(`INSERT INTO type_hours (user_type, endpoint_id, hour, requests, errors, minutes, p99)
    SELECT t.t, 'ep-' || e, ${at(hour)} - k * interval '1 hour', (CASE WHEN t.t = 'kind:none' THEN ${policies} ELSE 1 END) * (${REQUESTS_PER_CALLER} + (random() * 10)::int),
      (random() * 1.2)::int, 60, 100 * (1 + random() * 0.2)
    FROM generate_series(1, ${HISTORY_DAYS * 24}) k, generate_series(0, ${endpoints - 1}) e, ${typeRows} t`);
  await c.query(`INSERT INTO endpoint_hours (endpoint_id, hour, minutes, minute_requests, minute_rejected, minute_errors, minute_p99,
      hist_minutes, hist_bins, hist_counts, callers, caller_requests, caller_rejected, caller_errors)
    SELECT 'ep-' || e, ${at(hour)}, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
      (SELECT array_agg(id ORDER BY id) FROM request_callers), array_fill(${REQUESTS_PER_CALLER}, ARRAY[${policies}]), array_fill(0, ARRAY[${policies}]), array_fill(0, ARRAY[${policies}])
    FROM generate_series(0, ${endpoints - 1}) e`);
  await c.query(`INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, upstream_ms, caller_id)
    SELECT row_number() OVER (), ${at(hour)} + (random() * 55 * 60) * interval '1 second', 'ep-' || e, 'bench-api', 'GET', '/b/' || e, 200,
      (80 + random() * 40)::int, 80, rc.id
    FROM generate_series(0, ${endpoints - 1}) e, request_callers rc, generate_series(1, ${REQUESTS_PER_CALLER}) n`);
  await c.query(`INSERT INTO sync_state (name, value, updated_at) VALUES ($1, $2, now())`, [ANOMALY_STATE, JSON.stringify({ next: hour })]);
  await c.query("VACUUM ANALYZE");
}

/** The floor: detection's reads and its write, hand-written, nothing judged. */
async function floorRun(c: pg.ClientBase, hour: number, rows: number): Promise<void> {
  await c.query(`SELECT endpoint_id, callers, caller_requests, caller_errors FROM endpoint_hours WHERE hour = ${at(hour)}`);
  await c.query(`SELECT endpoint_id, caller_id, ${LATENCY_BIN_SQL} AS bin, count(*)::int AS n FROM request_records
    WHERE ts >= ${at(hour)} AND ts < ${at(hour + HOUR)} AND endpoint_id IS NOT NULL AND NOT ${GATEWAY_REJECTION_SQL} GROUP BY 1, 2, 3`);
  await c.query(`SELECT id, identity_id, oauth_client_id, policy_ids FROM request_callers`);
  await c.query("BEGIN");
  await c.query(`INSERT INTO type_hours (user_type, endpoint_id, hour, requests, errors, minutes, p99)
    SELECT 'floor-' || g, 'ep-0', ${at(hour)}, 1, 0, 60, 1 FROM generate_series(1, ${rows}) g`);
  await c.query("ROLLBACK");
}

async function median3(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

export async function measureAnomalies(
  server: BenchServer, load: AnomalyLoad, log: (s: string) => void,
): Promise<{ figures: Figure[]; notes: string[]; dataset: Record<string, number> }> {
  const hour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const url = await server.database("tl_bench_anomalies");
  try {
    await applyMigrations(url);
    await withPgClient(url, (c) => seed(c, load, hour));
    const rows = load.endpoints * load.types;
    const records = load.endpoints * (load.types - 1) * REQUESTS_PER_CALLER;
    const floor = await withPgClient(url, (c) => median3(() => floorRun(c, hour, rows)));
    const db = createDb(url);
    let last = { hours: 0, anomalies: 0 };
    try {
      const t0 = performance.now();
      await detectTypeAnomalies(db);
      const first = performance.now() - t0;
      const detect = await median3(async () => (last = await detectTypeAnomalies(db)));
      const loadText = `${load.endpoints} endpoints × ${load.types} user types, ${HISTORY_DAYS} days of type-hours, ${records.toLocaleString("en-US")} records in the running hour`;
      log(`  ${loadText}: detection ${detect.toFixed(0)} ms (the process's first run, reading the history: ${first.toFixed(0)} ms), floor ${floor.toFixed(0)} ms (last run: ${last.hours} hour(s), ${last.anomalies} anomalies)`);
      return {
        figures: [figure({
          id: "anomalies.detect.vs_floor", label: "anomaly detection per sync (re-judge the running hour)", value: detect, unit: "ms",
          baseline: { label: `SQL floor (the same reads + one INSERT of ${rows.toLocaleString("en-US")} rows)`, value: floor, unit: "ms" },
          ratio: detect / floor, compare: "ratio", target: { op: "<=", bound: ANOMALY_TARGET }, reason: loadText,
        })],
        notes: [`Anomalies: ${loadText}; median of 3 runs each; a process's first run also reads the ${HISTORY_DAYS} days of history: ${first.toFixed(0)} ms.`],
        dataset: { "anomaly endpoints": load.endpoints, "anomaly user types": load.types, "anomaly type-hours": rows * HISTORY_DAYS * 24 },
      };
    } finally {
      await db.$disconnect();
    }
  } finally {
    await server.drop(url);
  }
}
