/**
 * `npx tsx scripts/bench/anomalies.ts [--endpoints 200] [--policies 19] [--keep]` — what anomaly detection by
 * user type costs per sync: `--endpoints` endpoints × (`--policies` policies + "no identity") user types, two
 * weeks of type_hours history, and the running hour's records (50 requests per endpoint and caller). Times
 * detectTypeAnomalies re-judging the running hour (what every sync does) against a SQL floor: the same
 * reads it needs (history, the hour's callers, the hour's latency bins, the callers) and one INSERT of as
 * many type_hours rows, run bare. Prints the median of three runs of each and their ratio; asserts nothing.
 */
import pg from "pg";
import { createDb } from "@/lib/db";
import { LATENCY_BIN_SQL } from "@/lib/analysis/histogram";
import { GATEWAY_REJECTION_SQL } from "@/lib/analysis/rejections";
import { ANOMALY_STATE, detectTypeAnomalies } from "@/lib/anomalies/detect";
import { withPgClient } from "@/lib/pg-client";
import { applyMigrations } from "@/scripts/db/migrate";
import { startBenchServer } from "./server";

const HOUR = 3_600_000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function seed(c: pg.ClientBase, endpoints: number, policies: number, hour: number): Promise<void> {
  const h = `to_timestamp(${hour / 1000}) AT TIME ZONE 'UTC'`;
  await c.query(`INSERT INTO apis (id, name, listen_path, definition) VALUES ('bench-api', 'Bench API', '/b/', '{}')`);
  await c.query(`INSERT INTO endpoints (id, api_id, method, path) SELECT 'ep-' || e, 'bench-api', 'GET', '/b/' || e FROM generate_series(0, ${endpoints - 1}) e`);
  await c.query(`INSERT INTO request_callers (key_hash, policy_ids) SELECT 'key-' || p, ARRAY['pol-' || p] FROM generate_series(0, ${policies - 1}) p`);
  const types = `(SELECT 'policy:pol-' || p AS t FROM generate_series(0, ${policies - 1}) p UNION ALL SELECT 'kind:none')`;
  await c.query(`INSERT INTO type_hours (user_type, endpoint_id, hour, requests, errors, minutes, p99)
    SELECT t.t, 'ep-' || e, ${h} - k * interval '1 hour', (CASE WHEN t.t = 'kind:none' THEN ${policies} ELSE 1 END) * (50 + (random() * 10)::int),
      (random() * 1.2)::int, 60, 100 * (1 + random() * 0.2)
    FROM generate_series(1, 14 * 24) k, generate_series(0, ${endpoints - 1}) e, ${types} t`);
  await c.query(`INSERT INTO endpoint_hours (endpoint_id, hour, minutes, minute_requests, minute_rejected, minute_errors, minute_p99,
      hist_minutes, hist_bins, hist_counts, callers, caller_requests, caller_rejected, caller_errors)
    SELECT 'ep-' || e, ${h}, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
      (SELECT array_agg(id ORDER BY id) FROM request_callers), array_fill(50, ARRAY[${policies}]), array_fill(0, ARRAY[${policies}]), array_fill(0, ARRAY[${policies}])
    FROM generate_series(0, ${endpoints - 1}) e`);
  await c.query(`INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, upstream_ms, caller_id)
    SELECT row_number() OVER (), ${h} + (random() * 55 * 60) * interval '1 second', 'ep-' || e, 'bench-api', 'GET', '/b/' || e, 200,
      (80 + random() * 40)::int, 80, rc.id
    FROM generate_series(0, ${endpoints - 1}) e, request_callers rc, generate_series(1, 50) n`);
  await c.query(`INSERT INTO sync_state (name, value, updated_at) VALUES ($1, $2, now())`, [ANOMALY_STATE, JSON.stringify({ next: hour })]);
  await c.query("VACUUM ANALYZE");
}

async function median3(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
}

async function main() {
  const endpoints = arg("endpoints", 200);
  const policies = arg("policies", 19);
  const hour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const server = await startBenchServer({ keep: process.argv.includes("--keep"), log: console.log });
  try {
    const url = await server.database("tl_anomalies");
    await applyMigrations(url);
    await withPgClient(url, (c) => seed(c, endpoints, policies, hour));
    const db = createDb(url);
    const at = (ms: number) => `to_timestamp(${ms / 1000}) AT TIME ZONE 'UTC'`;
    const rows = endpoints * (policies + 1);
    const floor = await median3(() => withPgClient(url, async (c) => {
      await c.query(`SELECT user_type, endpoint_id, hour, requests, errors, minutes, p99 FROM type_hours WHERE hour >= ${at(hour - 28 * 24 * HOUR)} AND hour < ${at(hour)}`);
      await c.query(`SELECT endpoint_id, callers, caller_requests, caller_errors FROM endpoint_hours WHERE hour = ${at(hour)}`);
      await c.query(`SELECT endpoint_id, caller_id, ${LATENCY_BIN_SQL} AS bin, count(*)::int AS n FROM request_records
        WHERE ts >= ${at(hour)} AND ts < ${at(hour + HOUR)} AND endpoint_id IS NOT NULL AND NOT ${GATEWAY_REJECTION_SQL} GROUP BY 1, 2, 3`);
      await c.query(`SELECT id, identity_id, oauth_client_id, policy_ids FROM request_callers`);
      await c.query("BEGIN");
      await c.query(`INSERT INTO type_hours (user_type, endpoint_id, hour, requests, errors, minutes, p99)
        SELECT 'floor-' || g, 'ep-0', ${at(hour)}, 1, 0, 60, 1 FROM generate_series(1, ${rows}) g`);
      await c.query("ROLLBACK");
    }));
    let last = { hours: 0, anomalies: 0 };
    const detect = await median3(async () => (last = await detectTypeAnomalies(db)));
    const history = endpoints * (policies + 1) * 14 * 24;
    console.log(`\n${endpoints} endpoints × ${policies + 1} user types, ${history.toLocaleString()} type-hours of history, ${(endpoints * policies * 50).toLocaleString()} records in the running hour`);
    console.log(`| step | median of 3 |\n|---|---|\n| SQL floor (the reads + one INSERT of ${rows.toLocaleString()} rows) | ${floor.toFixed(0)} ms |\n| detectTypeAnomalies (re-judge the running hour) | ${detect.toFixed(0)} ms |\n| ratio | ${(detect / floor).toFixed(2)}× |`);
    console.log(`last run: ${last.hours} hour(s), ${last.anomalies} anomalies`);
    await db.$disconnect();
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
