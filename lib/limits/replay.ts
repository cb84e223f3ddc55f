// Replays a proposed limit over stored traffic: for each key under the policy, minute by minute,
// how many of its requests the limit would have turned away, and what the endpoint's p99 would
// have been in its slow minutes without them — q(I \ g), the attribution's "p99 without" read
// from histograms (lib/analysis/histogram), the rejected share of a key's minute removed from it.
//
// The replay sees per-minute counts, so within a minute requests are taken as evenly spread: a
// limit of `rate` per `per` seconds allows rate × 60 / per a minute when per ≤ 60, and for longer
// windows whatever the previous minutes of the window left. A proposed throttle and quota act after
// the rate (replay-quota.ts).
import type { TrafficCell } from "@/lib/analysis/types";
import { BIN_COUNT, histQuantile } from "@/lib/analysis/histogram";
import { quotaRejected, throttleRetries, type QuotaThrottle } from "./replay-quota";

export interface ReplayLimit extends QuotaThrottle {
  policyId: string;
  rate: number;
  per: number;
}

export interface ReplayedKey {
  keyHash: string;
  requests: number;
  /** Turned away, by the rate (after the throttle's retries) or the quota. */
  rejected: number;
  /** Of `rejected`, past the quota. */
  quotaRejected: number;
  /** Over the rate but served late on a throttle retry. */
  delayed: number;
  minutes: number;
  first: number | null;
  last: number | null;
}

export interface ReplayResult {
  requests: number;
  rejected: number;
  quotaRejected: number;
  delayed: number;
  keys: ReplayedKey[];
  /** Minutes with rejections: [epoch ms, rejected]. */
  minutes: [number, number][];
  /** Minutes whose p99 was over the objective, and their pooled p99 as served and without the rejected requests. */
  slow: {
    minutes: number; p99: number | null; p99Without: number | null;
    /** Their mean served rate (req/s) as served and without the rejected requests: where to read the capacity curve. */
    rps: number | null; rpsWithout: number | null;
  };
}

/** What a limit allows a minute when its window is a minute or less; Infinity for longer windows (they depend on earlier minutes). */
function minuteAllowance(limit: Pick<ReplayLimit, "rate" | "per">): number {
  return limit.per <= 60 ? (limit.rate * 60) / limit.per : Infinity;
}

/** Requests of one key turned away per minute (`counts` by ascending minute), evenly spread within each minute. */
export function rejectedPerMinute(minutes: number[], counts: number[], limit: Pick<ReplayLimit, "rate" | "per">): number[] {
  const out = new Array<number>(counts.length).fill(0);
  const perMinute = minuteAllowance(limit);
  if (Number.isFinite(perMinute)) {
    for (let i = 0; i < counts.length; i++) out[i] = Math.max(0, Math.round(counts[i] - perMinute));
    return out;
  }
  // Longer windows: a minute may use what the window's earlier minutes left of `rate`.
  const span = limit.per * 1000;
  const allowed: number[] = [];
  let j = 0, inWindow = 0;
  for (let i = 0; i < counts.length; i++) {
    while (j < i && minutes[j] <= minutes[i] - span) inWindow -= allowed[j++];
    allowed[i] = Math.max(0, Math.min(counts[i], limit.rate - inWindow));
    inWindow += allowed[i];
    out[i] = counts[i] - allowed[i];
  }
  return out;
}

/** The replay of `limit` over the cells (see the header); `objectiveMs` marks the slow minutes. */
export function replayLimit(cells: TrafficCell[], limit: ReplayLimit, objectiveMs: number): ReplayResult {
  // Per minute: the served histogram, and the histogram of the requests the limit removes.
  const byMinute = new Map<number, { hist: Float64Array; removed: Float64Array; total: number; cut: number }>();
  const minuteOf = (m: number) => {
    let v = byMinute.get(m);
    if (!v) byMinute.set(m, (v = { hist: new Float64Array(BIN_COUNT), removed: new Float64Array(BIN_COUNT), total: 0, cut: 0 }));
    return v;
  };
  const keyCells = new Map<string, TrafficCell[]>();
  let requests = 0;
  for (const c of cells) {
    const m = minuteOf(c.minute);
    for (let i = 0; i < c.bins.length; i++) m.hist[c.bins[i]] += c.binCounts[i];
    m.total += c.count;
    requests += c.count;
    if (c.keyHash && c.policyIds.includes(limit.policyId)) {
      const list = keyCells.get(c.keyHash) ?? [];
      list.push(c);
      keyCells.set(c.keyHash, list);
    }
  }
  const keys: ReplayedKey[] = [];
  const rejectedAt = new Map<number, number>();
  for (const [keyHash, list] of keyCells) {
    // A key may have several callers (identities, policy sets) in one minute: one count per minute.
    const perMinute = new Map<number, TrafficCell[]>();
    for (const c of list) perMinute.set(c.minute, [...(perMinute.get(c.minute) ?? []), c]);
    const minutes = [...perMinute.keys()].sort((a, b) => a - b);
    const counts = minutes.map((m) => perMinute.get(m)!.reduce((n, c) => n + c.count, 0));
    const rated = throttleRetries(minutes, counts, rejectedPerMinute(minutes, counts, limit), minuteAllowance(limit), limit);
    const overQuota = quotaRejected(minutes, counts.map((n, i) => n - rated.cut[i]), limit);
    const cut = rated.cut.map((n, i) => n + overQuota[i]);
    const k: ReplayedKey = {
      keyHash, requests: counts.reduce((a, b) => a + b, 0), rejected: 0, minutes: 0, first: null, last: null,
      quotaRejected: overQuota.reduce((a, b) => a + b, 0), delayed: rated.delayed.reduce((a, b) => a + b, 0),
    };
    minutes.forEach((m, i) => {
      if (!cut[i]) return;
      k.rejected += cut[i];
      k.minutes++;
      k.first ??= m;
      k.last = m;
      rejectedAt.set(m, (rejectedAt.get(m) ?? 0) + cut[i]);
      const share = cut[i] / counts[i], target = minuteOf(m);
      target.cut += cut[i];
      for (const c of perMinute.get(m)!) for (let b = 0; b < c.bins.length; b++) target.removed[c.bins[b]] += c.binCounts[b] * share;
    });
    keys.push(k);
  }
  keys.sort((a, b) => b.rejected - a.rejected || b.requests - a.requests);

  const slowHist = new Float64Array(BIN_COUNT), slowRemoved = new Float64Array(BIN_COUNT);
  let slowMinutes = 0, slowTotal = 0, slowCut = 0;
  for (const m of byMinute.values()) {
    if (!(histQuantile(m.hist, null, m.total, 0.99) > objectiveMs)) continue;
    slowMinutes++;
    slowTotal += m.total;
    slowCut += m.cut;
    for (let b = 0; b < BIN_COUNT; b++) {
      slowHist[b] += m.hist[b];
      slowRemoved[b] += m.removed[b];
    }
  }
  const q = (sub: Float64Array | null, total: number) => (slowMinutes && total > 0 ? histQuantile(slowHist, sub, total, 0.99) : null);
  return {
    requests, rejected: keys.reduce((n, k) => n + k.rejected, 0), keys,
    quotaRejected: keys.reduce((n, k) => n + k.quotaRejected, 0), delayed: keys.reduce((n, k) => n + k.delayed, 0),
    minutes: [...rejectedAt].sort((a, b) => a[0] - b[0]),
    slow: {
      minutes: slowMinutes, p99: q(null, slowTotal), p99Without: q(slowRemoved, slowTotal - slowCut),
      rps: slowMinutes ? slowTotal / slowMinutes / 60 : null, rpsWithout: slowMinutes ? (slowTotal - slowCut) / slowMinutes / 60 : null,
    },
  };
}

