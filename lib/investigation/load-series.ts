import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { LatencyPoint } from "@/lib/analysis";
import { MINUTE_OF_TS, at, epochMs, withWorkMem, readRows } from "./sql";

export type SeriesSource = "latency_points" | "request_records" | "none";

export interface LoadedSeries {
  source: SeriesSource;
  points: LatencyPoint[];
}

/** ts, p50, p95, p99, count and errors of each minute, one array each (all null without rows). */
type SeriesColumns = [number[] | null, (number | null)[], (number | null)[], (number | null)[], number[], number[]];

interface PointRow {
  ts: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  count: number;
  errors: number;
}

/**
 * One endpoint's per-minute latency in [from, to): the trace backend's points when it has any for
 * that window (they see every span, not only what the gateway logged), else percentiles computed
 * in SQL from the gateway's request records. `source` says which.
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
  const [ts, p50, p95, p99, count, errors] = row.series;
  if (ts?.length) return { source: "latency_points", points: ts.map((t, i) => ({ ts: t, p50: p50[i], p95: p95[i], p99: p99[i], count: count[i], errors: errors[i] })) };

  const computed = await withWorkMem(db, (tx) => tx.$queryRaw<PointRow[]>`
    SELECT ${epochMs(MINUTE_OF_TS)} AS ts,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p99,
           count(*)::int AS count,
           (count(*) FILTER (WHERE status >= 500))::int AS errors
    FROM request_records
    WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}
    GROUP BY ${MINUTE_OF_TS}
    ORDER BY ${MINUTE_OF_TS}`);
  return { source: computed.length ? "request_records" : "none", points: computed.map(toPoint) };
}

/** Epoch ms of the endpoint's newest minute of data (trace points or requests), or null. */
export async function latestDataAt(db: PrismaClient, endpointId: string): Promise<number | null> {
  const [row] = await readRows<{ ts: number | null }>(db, Prisma.sql`
    SELECT ${epochMs(Prisma.sql`GREATEST(
      (SELECT max(ts) FROM latency_points WHERE endpoint_id = ${endpointId}),
      (SELECT max(ts) FROM request_records WHERE endpoint_id = ${endpointId}))`)} AS ts`);
  return row?.ts ?? null;
}

function toPoint(r: PointRow): LatencyPoint {
  return { ts: Number(r.ts), p50: r.p50, p95: r.p95, p99: r.p99, count: Number(r.count), errors: Number(r.errors) };
}
