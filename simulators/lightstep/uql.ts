/**
 * Just enough of Lightstep's unified query language for one question: a latency percentile of one
 * operation grouped by a span attribute, e.g.
 *   spans latency | delta | filter service == "gw" && operation == "GET /orders" | group_by ["tyk.api.apikey.alias"], sum | point percentile(value, 99)
 */
import type { SimRequest } from "../world/types";
import { percentile } from "./aggregates";
import { rootTags } from "./traces";

export interface GroupedLatencyQuery {
  service: string;
  operation: string;
  attribute: string;
  percentile: number;
}

const str = String.raw`"((?:[^"\\]|\\.)*)"`;
const unq = (s: string) => s.replace(/\\(.)/g, "$1");

export function parseGroupedLatency(uql: string): GroupedLatencyQuery | null {
  if (!/^\s*spans\s+latency\b/.test(uql)) return null;
  const svc = new RegExp(`service\\s*==\\s*${str}`).exec(uql);
  const op = new RegExp(`operation\\s*==\\s*${str}`).exec(uql);
  const group = new RegExp(`group_by\\s*\\[\\s*${str}\\s*\\]`).exec(uql);
  const pct = /percentile\(\s*value\s*,\s*([\d.]+)\s*\)/.exec(uql);
  if (!svc || !op || !group || !pct) return null;
  return { service: unq(svc[1]), operation: unq(op[1]), attribute: unq(group[1]), percentile: Number(pct[1]) };
}

/** Series per attribute value; points are [unix seconds, latency ms | null], one per period. */
export function groupedSeries(requests: SimRequest[], q: GroupedLatencyQuery, fromMs: number, toMs: number, periodMs: number) {
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
