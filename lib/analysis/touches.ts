// Touches: the access changes that reached this endpoint around the spike, and how each caller
// group's traffic moved between the baseline B and the incident I.
import type { AccessChange, TrafficShift, Touch, Touches } from "./types";
import type { GroupData, IndexedTraffic } from "./traffic";
import { histQuantile } from "./histogram";

const MIN = 60_000;

export interface TouchOptions {
  /** The endpoint's API (Tyk api_id): API-level changes reach it. */
  apiId: string;
  /** Spike start t0. */
  start: number;
  lookbackMinutes?: number;
  /** Changes up to this long after t0 are kept, flagged afterSpikeStart. */
  afterMinutes?: number;
}

/** Access changes reaching the endpoint in [t0 − lookback, t0 + after], newest first. */
export function findChangeTouches(changes: AccessChange[], traffic: IndexedTraffic, o: TouchOptions): Touch[] {
  const from = o.start - (o.lookbackMinutes ?? 120) * MIN;
  const to = o.start + (o.afterMinutes ?? 15) * MIN;
  const keys = traffic.byKind.key;
  const policies = traffic.byKind.policy;
  const out: Touch[] = [];
  for (const c of changes) {
    if (c.changedAt < from || c.changedAt > to) continue;
    const reachesBy: Touch["reachesBy"] = [];
    if (c.apiIds.includes(o.apiId)) reachesBy.push("api");
    if (c.keyHashes.some((k) => keys.has(k)) || (c.kind === "key" && keys.has(c.targetId))) reachesBy.push("key");
    if (c.kind === "policy" && policies.has(c.targetId)) reachesBy.push("policy");
    if (!reachesBy.length) continue;
    out.push({ change: c, afterSpikeStart: c.changedAt > o.start, minutesBeforeStart: (o.start - c.changedAt) / MIN, reachesBy });
  }
  return out.sort((a, b) => b.change.changedAt - a.change.changedAt);
}

export function shiftOf(g: GroupData, traffic: IndexedTraffic): TrafficShift {
  const q = (h: Float64Array, n: number, p: number) => (n > 0 ? round(histQuantile(h, null, n, p)) : null);
  return {
    kind: g.kind,
    id: g.id,
    requestsBefore: round(g.countB),
    requestsAfter: round(g.countI),
    ratePerMinBefore: round(g.countB / traffic.B.nMin),
    ratePerMinAfter: round(g.countI / traffic.I.nMin),
    p50Before: q(g.histB, g.countB, 0.5),
    p50After: q(g.histI, g.countI, 0.5),
    p99Before: q(g.histB, g.countB, 0.99),
    p99After: q(g.histI, g.countI, 0.99),
    errorsBefore: round(g.errorsB),
    errorsAfter: round(g.errorsI),
    new: g.countB === 0,
    firstSeenAfter: g.firstSeenI,
  };
}

/** Changes plus every group's traffic shift, groups with requests in I first by volume. */
export function findTouches(changes: AccessChange[], traffic: IndexedTraffic, o: TouchOptions): Touches {
  const shifts = traffic.groups.map((g) => shiftOf(g, traffic)).sort((a, b) => b.requestsAfter - a.requestsAfter || b.requestsBefore - a.requestsBefore);
  return { changes: findChangeTouches(changes, traffic, o), shifts };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
