import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { LatencyPoint } from "@/lib/analysis";
import { roundMs, sparseQuantile } from "@/lib/analysis/histogram";
import { at, epochMs, readRows } from "./sql";

export type SeriesSource = "latency_points" | "request_records" | "none";

export interface LoadedSeries {
  source: SeriesSource;
  points: LatencyPoint[];
}

/** ts, p50, p95, p99, count and errors of each minute, one array each (all null without rows). */
type SeriesColumns = [number[] | null, (number | null)[], (number | null)[], (number | null)[], number[], number[]];

/**
 * One endpoint's per-minute latency in [from, to): the trace backend's points when it has any for
 * that window (they see every span, not only what the gateway logged), else the gateway's
 * aggregates of its request records (endpoint_hours). `source` says which.
 */
export async function loadSeries(db: PrismaClient, endpointId: string, from: number, to: number): Promise<LoadedSeries> {
  // One value of six JSON arrays (the index's ts order, so no sort) rather than 1,500 rows: the
  // driver's per-row messages, field strings and row objects were most of the garbage left once
  // the traffic was packed, and JSON.parse makes just the arrays. `round` keeps ts exact in ms.
  const [row] = await readRows<{ series: SeriesColumns }>(db, Prisma.sql`
    SELECT json_build_array(
             json_agg(round(date_part('epoch', ts) * 1000) ORDER BY ts), json_agg(p50 ORDER BY ts), json_agg(p95 ORDER BY ts),
             json_agg(p99 ORDER BY ts), json_agg(count ORDER BY ts), json_agg(errors ORDER BY ts)) AS series
    FROM latency_points
    WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}`, { prepared: true });
  if (row.series[0]?.length) return { source: "latency_points", points: toPoints(row.series) };

  // Without trace points, the gateway's hour aggregates (written at ingest): percentiles of the
  // served requests, counts of all of them, a row an hour whatever the traffic.
  const points = hourRowsToPoints(await readRows<HourSeriesRow>(db, hourSeriesSql(endpointId, from, to), { prepared: true }), from, to);
  return points.length ? { source: "request_records", points } : { source: "none", points: [] };
}

/** endpoint_hours' per-minute columns of one endpoint-hour, `hour` as epoch ms; the histogram only where percentiles besides p99 are wanted. */
export interface HourSeriesRow {
  hour: number;
  minutes: number[];
  minute_requests: number[];
  minute_errors: number[];
  minute_p99: (number | null)[];
  hist_minutes?: number[];
  hist_bins?: number[];
  hist_counts?: number[];
}

// The arrays as JSON: JSON.parse reads them natively, where the driver's parser of PostgreSQL's
// array text (postgres-array) built them a character at a time — at 100 req/s the hour rows' histograms
// hold tens of thousands of integers, and parsing them cost more than the query.
function hourSeriesSql(endpointId: string, from: number, to: number): Prisma.Sql {
  return Prisma.sql`SELECT (extract(epoch FROM hour) * 1000)::float8 AS hour, array_to_json(minutes) AS minutes,
      array_to_json(minute_requests) AS minute_requests, array_to_json(minute_errors) AS minute_errors, array_to_json(minute_p99) AS minute_p99,
      array_to_json(hist_minutes) AS hist_minutes, array_to_json(hist_bins) AS hist_bins, array_to_json(hist_counts) AS hist_counts
    FROM endpoint_hours
    WHERE endpoint_id = ${endpointId} AND hour >= date_trunc('hour', ${at(from)}) AND hour < ${at(to)} ORDER BY hour`;
}

/**
 * The minutes of [from, to) in hour rows (ascending) as latency points: p99 as stored, p50 and p95
 * from the minute's histogram when the rows carry it (null otherwise).
 */
export function hourRowsToPoints(rows: HourSeriesRow[], from: number, to: number): LatencyPoint[] {
  const out: LatencyPoint[] = [];
  for (const r of rows) {
    let k = 0;
    for (let i = 0; i < r.minutes.length; i++) {
      const ts = r.hour + r.minutes[i] * 60_000;
      // This minute's histogram entries: [k, end).
      let end = k;
      while (r.hist_minutes && end < r.hist_minutes.length && r.hist_minutes[end] === r.minutes[i]) end++;
      if (ts >= from && ts < to) {
        const [p50, p95] = r.hist_minutes ? minutePercentiles(r.hist_bins!, r.hist_counts!, k, end) : [null, null];
        out.push({ ts, p50, p95, p99: r.minute_p99[i], count: r.minute_requests[i], errors: r.minute_errors[i] });
      }
      k = end;
    }
  }
  return out;
}

/** p50 and p95 of the histogram entries [start, end), rounded as stored percentiles are. */
function minutePercentiles(bins: number[], counts: number[], start: number, end: number): [number | null, number | null] {
  let served = 0;
  for (let j = start; j < end; j++) served += counts[j];
  if (served <= 0) return [null, null];
  const b = bins.slice(start, end), c = counts.slice(start, end);
  return [roundMs(sparseQuantile(b, c, b.length, served, 0.5)), roundMs(sparseQuantile(b, c, b.length, served, 0.95))];
}

/** Epoch ms of the endpoint's newest minute of data (trace points or requests), or null. */
export async function latestDataAt(db: PrismaClient, endpointId: string): Promise<number | null> {
  const [row] = await readRows<{ ts: number | null }>(db, Prisma.sql`
    SELECT ${epochMs(Prisma.sql`GREATEST(
      (SELECT max(ts) FROM latency_points WHERE endpoint_id = ${endpointId}),
      (SELECT hour + minutes[cardinality(minutes)] * interval '1 minute' FROM endpoint_hours
        WHERE endpoint_id = ${endpointId} ORDER BY hour DESC LIMIT 1))`)} AS ts`);
  return row?.ts ?? null;
}

function toPoints([ts, p50, p95, p99, count, errors]: SeriesColumns): LatencyPoint[] {
  return (ts ?? []).map((t, i) => ({ ts: t, p50: p50[i], p95: p95[i], p99: p99[i], count: count[i], errors: errors[i] }));
}
