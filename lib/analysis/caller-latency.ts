// Each steady key's own latency in B and I (keys with enough requests in both windows), read once
// per traffic index: "did everyone get slower?" (callersSlowed) and "did this group get slower than
// everyone else?" (attribute.ts standsOut) compare callers key by key, since a percentile of a
// mixture of callers jumps whenever the mix shifts a little around a cluster boundary.
import { groupQuantile, type GroupData, type IndexedTraffic } from "./traffic";

export interface KeyLatency {
  g: GroupData;
  p50B: number; p50I: number;
  p90B: number; p90I: number;
  p99B: number; p99I: number;
}

const memo = new WeakMap<IndexedTraffic, Map<number, KeyLatency[]>>();

/** Keys with at least `minRequests` requests in both windows, with their percentiles. */
export function keyLatencies(traffic: IndexedTraffic, minRequests = 5): KeyLatency[] {
  let byMin = memo.get(traffic);
  if (!byMin) memo.set(traffic, (byMin = new Map()));
  let out = byMin.get(minRequests);
  if (!out) {
    out = [];
    for (const g of traffic.byKind.key.values()) {
      if (g.countB < minRequests || g.countI < minRequests) continue;
      out.push({
        g,
        p50B: groupQuantile(g, "B", g.countB, 0.5), p50I: groupQuantile(g, "I", g.countI, 0.5),
        p90B: groupQuantile(g, "B", g.countB, 0.9), p90I: groupQuantile(g, "I", g.countI, 0.9),
        p99B: groupQuantile(g, "B", g.countB, 0.99), p99I: groupQuantile(g, "I", g.countI, 0.99),
      });
    }
    byMin.set(minRequests, out);
  }
  return out;
}

/** The volume-weighted (by requests in I) median of `value` over `keys`, or null without keys. */
export function weightedMedian(keys: KeyLatency[], value: (k: KeyLatency) => number): number | null {
  const xs = keys.map((k) => [value(k), k.g.countI] as const).filter(([v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
  const total = xs.reduce((s, [, w]) => s + w, 0);
  for (let i = 0, acc = 0; i < xs.length; i++) {
    acc += xs[i][1];
    if (acc * 2 >= total) return xs[i][0];
  }
  return null;
}
