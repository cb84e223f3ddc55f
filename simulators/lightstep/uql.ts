/**
 * Just enough of Lightstep's unified query language for the questions Touchline asks:
 *   spans latency | delta | filter service == "gw" && operation == "GET /orders" | group_by ["tyk.api.apikey.alias"], sum | point percentile(value, 99)
 *   spans latency | delta | filter service == "gw" | group_by ["operation"], sum | point percentile(value, 99)
 *   spans count | delta | filter service == "gw" | group_by ["operation", "error"], sum
 *   spans count | delta | group_by ["service", "service.version"], sum
 *   spans count | delta | filter service == "gw" | group_by ["tyk.api.id", "http.method", "http.route"], sum
 * Grouping by operation (optionally with error) is served from the per-minute aggregates, so a
 * whole service over 24 h stays cheap; any other attribute is computed from the raw requests.
 */
import type { SimRequest } from "../world/types";
import { MINUTE, percentile, type MinuteAggregates } from "./aggregates";
import { rootTags, upstreamService } from "./traces";

export interface GroupedLatencyQuery {
  service: string;
  operation: string;
  attribute: string;
  percentile: number;
}

/** A service-wide query grouped by operation (and, for counts, by the error flag). */
export interface OperationQuery {
  metric: "latency" | "count";
  service: string;
  byError: boolean;
  percentile?: number;
}

type Series = { "group-labels": string[]; points: [number, number | null][] };

const str = String.raw`"((?:[^"\\]|\\.)*)"`;
const unq = (s: string) => s.replace(/\\(.)/g, "$1");

function groupBy(uql: string): string[] | null {
  const m = /group_by\s*\[([^\]]*)\]/.exec(uql);
  if (!m) return null;
  const out: string[] = [];
  const re = new RegExp(str, "g");
  for (let x = re.exec(m[1]); x; x = re.exec(m[1])) out.push(unq(x[1]));
  return out;
}

export function parseGroupedLatency(uql: string): GroupedLatencyQuery | null {
  if (!/^\s*spans\s+latency\b/.test(uql)) return null;
  const svc = new RegExp(`service\\s*==\\s*${str}`).exec(uql);
  const op = new RegExp(`operation\\s*==\\s*${str}`).exec(uql);
  const group = groupBy(uql);
  const pct = /percentile\(\s*value\s*,\s*([\d.]+)\s*\)/.exec(uql);
  if (!svc || !op || group?.length !== 1 || !pct) return null;
  return { service: unq(svc[1]), operation: unq(op[1]), attribute: group[0], percentile: Number(pct[1]) };
}

export function parseOperationQuery(uql: string): OperationQuery | null {
  const metric = /^\s*spans\s+(latency|count)\b/.exec(uql)?.[1] as "latency" | "count" | undefined;
  const svc = new RegExp(`service\\s*==\\s*${str}`).exec(uql);
  const group = groupBy(uql);
  if (!metric || !svc || /operation\s*==/.test(uql) || !group || group[0] !== "operation") return null;
  if (metric === "latency") {
    const pct = /point\s+percentile\(\s*value\s*,\s*([\d.]+)\s*\)/.exec(uql);
    return pct && group.length === 1 ? { metric, service: unq(svc[1]), byError: false, percentile: Number(pct[1]) } : null;
  }
  if (group.length > 2 || (group.length === 2 && group[1] !== "error")) return null;
  return { metric, service: unq(svc[1]), byError: group.length === 2 };
}

/** Span counts (of one service, or of every service) grouped by attributes other than the operation. */
export interface GroupedCountQuery {
  service: string | null;
  attributes: string[];
}

export function parseGroupedCount(uql: string): GroupedCountQuery | null {
  if (!/^\s*spans\s+count\b/.test(uql) || /operation\s*==/.test(uql)) return null;
  const svc = new RegExp(`service\\s*==\\s*${str}`).exec(uql);
  const group = groupBy(uql);
  if (!group?.length || group.includes("operation")) return null;
  return { service: svc ? unq(svc[1]) : null, attributes: group };
}

/**
 * Counts per combination of the attributes' values, one point per period. Each request is two
 * spans: the gateway's (rootTags) and its upstream's child span, which carries its service's
 * service.version (a resource attribute); `service` is every span's own.
 */
export function groupedCounts(requests: SimRequest[], q: GroupedCountQuery, gateway: string, fromMs: number, toMs: number, periodMs: number): Series[] {
  const spans = (r: SimRequest): Record<string, string | number | boolean>[] => [
    { ...rootTags(r), service: gateway },
    { service: upstreamService(r), ...(r.serviceVersion ? { "service.version": r.serviceVersion } : {}) },
  ];
  const periods: number[] = [];
  for (let t = Math.floor(fromMs / MINUTE) * MINUTE; t < toMs; t += periodMs) periods.push(t);
  const groups = new Map<string, { labels: string[]; counts: number[] }>();
  for (const r of requests) {
    for (const a of spans(r)) {
      if ((q.service && a.service !== q.service) || q.attributes.some((k) => a[k] === undefined)) continue;
      const labels = q.attributes.map((k) => `${k}=${a[k]}`);
      const key = labels.join("\0");
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { labels, counts: periods.map(() => 0) }));
      const i = Math.floor((r.ts - periods[0]) / periodMs);
      if (i >= 0 && i < periods.length) g.counts[i]++;
    }
  }
  return [...groups.values()].map((g) => ({ "group-labels": g.labels, points: g.counts.map((c, i) => [Math.floor(periods[i] / 1000), c] as [number, number | null]) }));
}

/** Series per attribute value; points are [unix seconds, latency ms | null], one per period. */
export function groupedSeries(requests: SimRequest[], q: GroupedLatencyQuery, fromMs: number, toMs: number, periodMs: number): Series[] {
  const byValue = new Map<string, SimRequest[]>();
  for (const r of requests) {
    const v = rootTags(r)[q.attribute];
    if (v === undefined) continue;
    const k = String(v);
    let g = byValue.get(k);
    if (!g) byValue.set(k, (g = []));
    g.push(r);
  }
  return [...byValue].map(([value, rs]) => {
    const points: [number, number | null][] = [];
    for (let t = fromMs; t < toMs; t += periodMs) {
      const lat = Float64Array.from(rs.filter((r) => r.ts >= t && r.ts < t + periodMs).map((r) => r.latencyMs)).sort();
      points.push([Math.floor(t / 1000), percentile(lat, q.percentile)]);
    }
    return { "group-labels": [`${q.attribute}=${value}`], points };
  });
}

/**
 * Series per operation (and error flag) of the gateway, one point per period from the minute
 * aggregates. Like Lightstep, a group only appears when it had spans somewhere in the range; a
 * period without spans is null (latency) or 0 (count).
 */
export function operationSeries(agg: MinuteAggregates, q: OperationQuery, fromMs: number, toMs: number, periodMs: number): Series[] {
  const start = Math.floor(fromMs / MINUTE) * MINUTE;
  const periods: number[] = [];
  for (let t = start; t < toMs; t += periodMs) periods.push(t);
  const groups = new Map<string, { labels: string[]; values: (number | null)[] }>();
  const slot = (labels: string[]) => {
    const k = labels.join("\0");
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { labels, values: periods.map(() => (q.metric === "count" ? 0 : null)) }));
    return g;
  };
  periods.forEach((p, i) => {
    const byOp = new Map<string, { latencies: number[]; errors: number }>();
    for (let m = p; m < Math.min(p + periodMs, toMs); m += MINUTE) {
      for (const [op, a] of agg.minute(m)) {
        let acc = byOp.get(op);
        if (!acc) byOp.set(op, (acc = { latencies: [], errors: 0 }));
        acc.latencies.push(...a.latencies);
        acc.errors += a.errors;
      }
    }
    for (const [op, acc] of byOp) {
      const opLabel = `operation=${op}`;
      if (q.metric === "latency") {
        slot([opLabel]).values[i] = percentile(Float64Array.from(acc.latencies).sort(), q.percentile!);
      } else if (!q.byError) {
        slot([opLabel]).values[i] = acc.latencies.length;
      } else {
        if (acc.latencies.length > acc.errors) slot([opLabel, "error=false"]).values[i] = acc.latencies.length - acc.errors;
        if (acc.errors > 0) slot([opLabel, "error=true"]).values[i] = acc.errors;
      }
    }
  });
  return [...groups.values()].map((g) => ({
    "group-labels": g.labels,
    points: g.values.map((v, i) => [Math.floor(periods[i] / 1000), v] as [number, number | null]),
  }));
}
