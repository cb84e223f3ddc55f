// Each steady key's own latency in B and I (keys with enough requests in both windows), read once
// per traffic index: "did everyone get slower?" (callersSlowed) and "did this group get slower than
// everyone else?" (standsOut) compare callers key by key, since a percentile of a mixture of
// callers jumps whenever the mix shifts a little around a cluster boundary.
import { normalSf } from "./stats";
import { groupQuantiles, type GroupData, type IndexedTraffic } from "./traffic";

export interface KeyLatency {
  g: GroupData;
  p50B: number; p50I: number;
  p90B: number; p90I: number;
  p99B: number; p99I: number;
}

const QS = [0.5, 0.9, 0.99];
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
      const [p50B, p90B, p99B] = groupQuantiles(g, "B", g.countB, QS), [p50I, p90I, p99I] = groupQuantiles(g, "I", g.countI, QS);
      out.push({ g, p50B, p50I, p90B, p90I, p99B, p99I });
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

/** One group's false-pass chance at the gate: 3.5 standard errors, one-sided. */
const GATE_P = normalSf(3.5);

/** Standard error of log(p90) of n requests of log-spread σ: √(q(1−q)/n) / φ(z₀.₉) · σ, σ read from p90/p50 (floored). */
const seLogP90 = (p90: number, p50: number, n: number) => (1.71 * Math.max(0.1, Math.log(p90 / p50) / 1.2816)) / Math.sqrt(Math.max(1, n));

/**
 * Whether a caller group's removal share can be its doing: one of its keys is new (no "before" to
 * compare), its typical key got slower than the typical other key (p90's rise from B to I), or its
 * volume grew (≥ 1.5×) while its typical key is slower than the typical other key in I (more of its
 * requests raise the percentile only then) — each by at least 15% and by 3.5 standard errors, raised
 * for the `tests` caller groups of the answer (Bonferroni: the chance that some group of a world where
 * everyone got slower alike passes stays that of one group at 3.5 standard errors).
 * When everyone got slower alike, a group that was always in the tail, or whose removal leaves few
 * requests (whose percentile then reads low), has a large removal share that is not its doing, and
 * a bootstrap of minutes does not see that. Callers are compared key by key (caller-latency.ts): a
 * percentile of a mixture of callers jumps with small shifts in the mix. A broad group whose share
 * comes from one member that is not its typical key does not stand out: the member does (and ranks
 * first, naming the group as its context: specificity.ts).
 */
export function standsOut(traffic: IndexedTraffic, g: GroupData, minRequests: number, tests = 1): boolean {
  for (const key of g.keys) {
    const kg = traffic.byKind.key.get(key);
    if (kg && kg.countI >= minRequests && kg.countB < 4 * minRequests) return true;
  }
  const all = keyLatencies(traffic, minRequests);
  const own = all.filter((k) => g.keys.has(k.g.id)), others = all.filter((k) => !g.keys.has(k.g.id));
  if (!own.length || !others.length) return true;
  const seI = (k: KeyLatency) => seLogP90(k.p90I, k.p50I, k.g.countI), seRise = (k: KeyLatency) => Math.hypot(seI(k), seLogP90(k.p90B, k.p50B, k.g.countB));
  // A typical key's value: the inverse-variance weighted mean of the keys' (log) values, with its
  // standard error — every key counts by how precisely it is measured.
  const typical = (keys: KeyLatency[], v: (k: KeyLatency) => number, se: (k: KeyLatency) => number) => {
    let sw = 0, swx = 0;
    for (const k of keys) {
      const w = 1 / se(k) ** 2;
      sw += w;
      swx += w * Math.log(v(k));
    }
    return { value: swx / sw, se: 1 / Math.sqrt(sw) };
  };
  const beyond = (a: { value: number; se: number }, b: { value: number; se: number }) =>
    a.value - b.value > Math.log(1.15) && normalSf((a.value - b.value) / Math.hypot(a.se, b.se)) * Math.max(1, tests) <= GATE_P;
  const rise = (k: KeyLatency) => k.p90I / k.p90B, levelI = (k: KeyLatency) => k.p90I;
  const grew = g.countI / traffic.I.nMin >= 1.5 * (g.countB / traffic.B.nMin);
  return beyond(typical(own, rise, seRise), typical(others, rise, seRise)) || (grew && beyond(typical(own, levelI, seI), typical(others, levelI, seI)));
}
