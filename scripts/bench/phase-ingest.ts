/**
 * Ingest: Touchline's own path (ingestAnalytics: pump table → request_records) against the floor
 * of moving the same bytes — COPY of the same rows and columns out of the pump table into an
 * unindexed table in Touchline's database, measured in the same run.
 */
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { createDb } from "@/lib/db";
import { withPgClient } from "@/lib/pg-client";
import { ingestAnalytics } from "@/lib/sync/analytics/ingest";
import { PUMP_COLUMNS } from "@/lib/sync/analytics/transform";
import { figure, type Figure } from "./results";

export interface IngestMeasurement {
  figures: Figure[];
  rows: number;
  copyRowsPerSec: number;
  ingestRowsPerSec: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [(performance.now() - t) / 1000, r];
}

/** Raw COPY of the pump rows' ingested columns into an unindexed table: the baseline rate. */
export async function copyBaseline(sourceUrl: string, targetUrl: string): Promise<{ rows: number; seconds: number }> {
  const src = new pg.Client({ connectionString: sourceUrl });
  const dst = new pg.Client({ connectionString: targetUrl });
  await src.connect();
  await dst.connect();
  try {
    const cols = PUMP_COLUMNS.map((c) => `"${c}"`).join(", ");
    await src.query("SET TIME ZONE 'UTC'");
    await dst.query("SET TIME ZONE 'UTC'");
    await dst.query("DROP TABLE IF EXISTS bench_copy_baseline");
    await dst.query(`CREATE TABLE bench_copy_baseline AS SELECT ${cols} FROM (SELECT
      NULL::timestamptz AS "timestamp", NULL::text AS method, NULL::text AS host, NULL::text AS path, NULL::text AS rawpath,
      NULL::bigint AS contentlength, NULL::text AS useragent, NULL::bigint AS responsecode, NULL::text AS apikey, NULL::text AS apiid,
      NULL::text AS oauthid, NULL::bigint AS requesttime, NULL::text AS ipaddress, NULL::bigint AS latency_total,
      NULL::bigint AS latency_upstream, NULL::text AS tags, NULL::text AS alias, NULL::text AS listenpath) t WITH NO DATA`);
    const [seconds] = await timed(() =>
      pipeline(src.query(copyTo(`COPY (SELECT ${cols} FROM tyk_analytics) TO STDOUT`)), dst.query(copyFrom(`COPY bench_copy_baseline FROM STDIN`))),
    );
    const { rows } = await dst.query<{ n: string }>("SELECT count(*) AS n FROM bench_copy_baseline");
    await dst.query("DROP TABLE bench_copy_baseline");
    return { rows: Number(rows[0].n), seconds };
  } finally {
    await src.end();
    await dst.end();
  }
}

/**
 * Both measurements start from a flushed server: the data set's generation leaves gigabytes of WAL
 * behind, and a checkpoint running under one measurement but not the other would skew the ratio.
 */
export async function checkpoint(url: string): Promise<void> {
  await withPgClient(url, (c) =>
    c.query("CHECKPOINT").catch(() => {
      // Not a superuser on an external server: measure as it is.
    }),
  );
}

const MAIN_FIGURE = { id: "ingest.rate", label: "Ingest rate: tyk_analytics → request_records (ingestAnalytics)" };

/** Ingest of every pump row against the COPY baseline of the same rows, as one figure (`as`: its id and label). */
export async function measureIngest(
  sourceUrl: string, targetUrl: string, log: (s: string) => void, as: { id: string; label: string } = MAIN_FIGURE,
): Promise<IngestMeasurement> {
  await checkpoint(targetUrl);
  const copy = await copyBaseline(sourceUrl, targetUrl);
  const copyRate = copy.rows / copy.seconds;
  log(`  COPY baseline: ${copy.rows.toLocaleString()} rows in ${copy.seconds.toFixed(1)} s (${Math.round(copyRate).toLocaleString()} rows/s)`);
  await checkpoint(targetUrl);
  const db = createDb(targetUrl);
  // A running console's client is connected and its query engine loaded long before a sync:
  // ready it before the clock starts, as the investigation phase opens its pool first.
  await db.$queryRaw`SELECT 1`;
  let last = 0;
  const [seconds, result] = await timed(() =>
    ingestAnalytics({
      db, sourceUrl, databaseUrl: targetUrl,
      onProgress: (p) => {
        if (p.read - last >= 1_000_000) {
          last = p.read;
          log(`  … ingested ${p.read.toLocaleString()}`);
        }
      },
    }),
  ).finally(() => db.$disconnect());
  const rate = result.read / seconds;
  log(`  ingestAnalytics: ${result.rows.toLocaleString()} rows in ${seconds.toFixed(1)} s (${Math.round(rate).toLocaleString()} rows/s)`);
  const ratio = rate / copyRate;
  return {
    rows: result.rows,
    copyRowsPerSec: copyRate,
    ingestRowsPerSec: rate,
    figures: [
      figure({
        ...as,
        value: rate,
        unit: "rows/s",
        baseline: { label: "raw COPY into unindexed table", value: copyRate, unit: "rows/s" },
        ratio,
        compare: "ratio",
        target: { op: ">=", bound: 0.5 },
        ...(result.rows !== copy.rows ? { reason: `inserted ${result.rows} of ${copy.rows} rows` } : {}),
      }),
    ],
  };
}
