/**
 * The Endpoints list: every endpoint with its last 24 h of p99 (for a sparkline), volume, error
 * rate, a spike verdict and its slowest recent exemplar. Per-minute series come from SQL in two
 * statements for all endpoints at once (trace points; the gateway's hour aggregates for
 * endpoints without trace points), the rest is summarised here.
 */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { compareSpikeSeverity, detectLatestSpike, type LatencyPoint } from "@/lib/analysis";
import { median } from "@/lib/analysis/stats";
import { hourRowsToPoints, type HourSeriesRow } from "@/lib/investigation/load-series";
import { at, readRows } from "@/lib/investigation/sql";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CURRENT_MINUTES = 15;
export const SPARK_BUCKETS = 96;

export type SeriesSource = "latency_points" | "request_records" | "none";

export interface EndpointSpike {
  start: number;
  end: number | null;
  peakMs: number;
  baselineMs: number;
  magnitude: number;
}

export interface SlowTrace {
  spanId: string;
  traceId: string;
  durationMs: number;
  ts: number;
  keyAlias: string | null;
}

export interface EndpointListRow {
  id: string;
  apiId: string;
  apiName: string;
  method: string;
  path: string;
  operation: string | null;
  mappingSource: string;
  source: SeriesSource;
  /** p99 per bucket over the 24 h window, oldest first; null where a bucket had no data. */
  spark: (number | null)[];
  /** Median of the per-minute p99 over the last 15 minutes with data in the window. */
  currentP99: number | null;
  requests: number;
  errorRate: number | null;
  spike: EndpointSpike | null;
  slowTrace: SlowTrace | null;
}

export interface EndpointList {
  from: number;
  to: number;
  rows: EndpointListRow[];
}

/** Max p99 per bucket (a sparkline should show the slowest minute, not average it away). */
export function bucketP99(points: LatencyPoint[], from: number, to: number, buckets = SPARK_BUCKETS): (number | null)[] {
  const out: (number | null)[] = new Array(buckets).fill(null);
  const width = (to - from) / buckets;
  for (const p of points) {
    if (p.p99 == null || p.ts < from || p.ts >= to) continue;
    const i = Math.min(buckets - 1, Math.floor((p.ts - from) / width));
    out[i] = Math.max(out[i] ?? 0, p.p99);
  }
  return out;
}

export interface SeriesSummary {
  spark: (number | null)[];
  currentP99: number | null;
  requests: number;
  errorRate: number | null;
  spike: EndpointSpike | null;
}

/**
 * Everything the list shows about one endpoint's series over [from, to). Spike detection sees the
 * same 24 h the endpoint page analyses (so the badge and the page agree); with one day of data
 * its seasonal profile stays off, and the first minutes serve as the trailing baseline.
 */
export function summariseSeries(points: LatencyPoint[], from: number, to: number): SeriesSummary {
  const inWindow = points.filter((p) => p.ts >= from && p.ts < to);
  const requests = inWindow.reduce((n, p) => n + p.count, 0);
  const errors = inWindow.reduce((n, p) => n + p.errors, 0);
  const withP99 = inWindow.filter((p) => p.p99 != null);
  const lastTs = withP99.length ? withP99[withP99.length - 1].ts : null;
  const recent = lastTs == null ? [] : withP99.filter((p) => p.ts > lastTs - CURRENT_MINUTES * MINUTE).map((p) => p.p99!);
  const found = detectLatestSpike(inWindow, { metric: "p99" });
  return {
    spark: bucketP99(inWindow, from, to),
    currentP99: recent.length ? median(recent) : null,
    requests,
    errorRate: requests > 0 ? errors / requests : null,
    spike:
      found.kind === "spike"
        ? { start: found.start, end: found.end ?? null, peakMs: found.peakValue, baselineMs: found.baseline.level, magnitude: found.magnitude }
        : null,
  };
}

/** The exemplar to open from the list: the slowest inside the spike when there is one, else the slowest of the window. */
export function pickSlowTrace(exemplars: SlowTrace[], spike: EndpointSpike | null, to: number): SlowTrace | null {
  const inSpike = spike ? exemplars.filter((e) => e.ts >= spike.start && e.ts < (spike.end != null ? spike.end + MINUTE : to)) : [];
  const pool = inSpike.length ? inSpike : exemplars;
  return pool.reduce<SlowTrace | null>((best, e) => (!best || e.durationMs > best.durationMs ? e : best), null);
}

/** Spiking endpoints first (the most severe first, spike-rule.ts), then by request volume. */
export function compareRows(a: EndpointListRow, b: EndpointListRow): number {
  if (!!a.spike !== !!b.spike) return a.spike ? -1 : 1;
  if (a.spike && b.spike) {
    const bySeverity = compareSpikeSeverity(a.spike, b.spike);
    if (bySeverity) return bySeverity;
  }
  return b.requests - a.requests || a.apiName.localeCompare(b.apiName) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method);
}

/** ts, p99, count and errors of each minute, one array each. */
type SeriesColumns = [number[], (number | null)[], number[], number[]];

/**
 * Each endpoint's per-minute p99, requests and errors over [from, to) from the trace backend's
 * points, one row of arrays per endpoint that has any (one index range per endpoint).
 */
async function tracedSeries(db: PrismaClient, ids: string[], from: number, to: number): Promise<Map<string, LatencyPoint[]>> {
  const out = new Map<string, LatencyPoint[]>();
  if (!ids.length) return out;
  const rows = await readRows<{ endpoint_id: string; s: SeriesColumns }>(db, Prisma.sql`
    SELECT e.id AS endpoint_id, s.s
    FROM unnest(${ids}::text[]) AS e(id)
    CROSS JOIN LATERAL (
      SELECT json_build_array(json_agg(round(date_part('epoch', ts) * 1000) ORDER BY ts), json_agg(p99 ORDER BY ts),
                              json_agg(count ORDER BY ts), json_agg(errors ORDER BY ts)) AS s
      FROM latency_points WHERE endpoint_id = e.id AND ts >= ${at(from)} AND ts < ${at(to)}
    ) s
    WHERE s.s->>0 IS NOT NULL`);
  for (const { endpoint_id, s: [t, p99, n, errors] } of rows) {
    out.set(endpoint_id, t.map((x, i) => ({ ts: x, p50: null, p95: null, p99: p99[i], count: n[i], errors: errors[i] })));
  }
  return out;
}

/** The same from the gateway's hour aggregates (a row per endpoint-hour, whatever the traffic; arrays as JSON, see load-series.ts). */
async function gatewaySeries(db: PrismaClient, ids: string[], from: number, to: number): Promise<Map<string, LatencyPoint[]>> {
  const out = new Map<string, LatencyPoint[]>();
  if (!ids.length) return out;
  const rows = await readRows<HourSeriesRow & { endpoint_id: string }>(db, Prisma.sql`
    SELECT endpoint_id, (extract(epoch FROM hour) * 1000)::float8 AS hour, array_to_json(minutes) AS minutes,
           array_to_json(minute_requests) AS minute_requests, array_to_json(minute_errors) AS minute_errors, array_to_json(minute_p99) AS minute_p99
    FROM endpoint_hours
    WHERE endpoint_id = ANY(${ids}::text[]) AND hour >= date_trunc('hour', ${at(from)}) AND hour < ${at(to)}
    ORDER BY endpoint_id, hour`);
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i].endpoint_id === rows[start].endpoint_id) continue;
    const points = hourRowsToPoints(rows.slice(start, i), from, to);
    if (points.length) out.set(rows[start].endpoint_id, points);
    start = i;
  }
  return out;
}

/** The Endpoints list for the 24 h ending at `now` (rounded down to the minute); `apiIds`: only those APIs' endpoints (an environment filter). */
export async function listEndpoints(db: PrismaClient, opts: { now?: number; apiIds?: string[] | null } = {}): Promise<EndpointList> {
  const to = Math.floor((opts.now ?? Date.now()) / MINUTE) * MINUTE;
  const from = to - DAY;
  const endpoints = await db.endpoint.findMany({
    where: { api: { deletedAt: null }, ...(opts.apiIds ? { apiId: { in: opts.apiIds } } : {}) },
    select: { id: true, apiId: true, method: true, path: true, operation: true, mappingSource: true, api: { select: { name: true } } },
  });
  const ids = endpoints.map((e) => e.id);
  const traced = await tracedSeries(db, ids, from, to);
  const computed = await gatewaySeries(db, ids.filter((id) => !traced.has(id)), from, to);
  const exemplarRows = ids.length
    ? await db.exemplar.findMany({
        where: { endpointId: { in: ids }, ts: { gte: new Date(from), lt: new Date(to) } },
        select: { spanId: true, traceId: true, endpointId: true, durationMs: true, ts: true, keyAlias: true },
      })
    : [];
  const exemplars = new Map<string, SlowTrace[]>();
  for (const e of exemplarRows) {
    const list = exemplars.get(e.endpointId) ?? [];
    list.push({ spanId: e.spanId, traceId: e.traceId, durationMs: e.durationMs, ts: e.ts.getTime(), keyAlias: e.keyAlias });
    exemplars.set(e.endpointId, list);
  }

  const rows = endpoints.map((e): EndpointListRow => {
    const points = traced.get(e.id) ?? computed.get(e.id) ?? [];
    const source: SeriesSource = traced.has(e.id) ? "latency_points" : computed.has(e.id) ? "request_records" : "none";
    const summary = summariseSeries(points, from, to);
    return {
      id: e.id,
      apiId: e.apiId,
      apiName: e.api.name,
      method: e.method,
      path: e.path,
      operation: e.operation,
      mappingSource: e.mappingSource,
      source,
      ...summary,
      slowTrace: pickSlowTrace(exemplars.get(e.id) ?? [], summary.spike, to),
    };
  });
  return { from, to, rows: rows.sort(compareRows) };
}
