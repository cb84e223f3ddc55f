// Touches: the access changes that reached this endpoint around the spike, and how each caller
// group's traffic moved between the baseline B and the incident I.
import type { AccessChange, TrafficShift, Touch, Touches } from "./types";
import { groupQuantile, type GroupData, type IndexedTraffic } from "./traffic";

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

/** A group's request counts and rates in B and I, as its TrafficShift has them. */
export type ShiftCounts = Pick<TrafficShift, "kind" | "id" | "requestsBefore" | "requestsAfter" | "ratePerMinBefore" | "ratePerMinAfter">;

export function shiftCounts(g: GroupData, traffic: IndexedTraffic): ShiftCounts {
  return {
    kind: g.kind,
    id: g.id,
    requestsBefore: round(g.countB),
    requestsAfter: round(g.countI),
    ratePerMinBefore: round(g.countB / traffic.B.nMin),
    ratePerMinAfter: round(g.countI / traffic.I.nMin),
  };
}

/** The order of Touches.shifts: busiest in I first; ties by kind and id, so lists cut from it do not depend on row order. */
export const byVolume = (a: ShiftCounts, b: ShiftCounts) =>
  b.requestsAfter - a.requestsAfter || b.requestsBefore - a.requestsBefore || compare(a.kind, b.kind) || compare(a.id, b.id);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function shiftOf(g: GroupData, traffic: IndexedTraffic): TrafficShift {
  // Filled in place, not spread from shiftCounts: spreading thousands of shifts was the engine's slowest line.
  const s = shiftCounts(g, traffic) as TrafficShift;
  s.p50Before = quantileOf(g, "B", g.countB, 0.5);
  s.p50After = quantileOf(g, "I", g.countI, 0.5);
  s.p99Before = quantileOf(g, "B", g.countB, 0.99);
  s.p99After = quantileOf(g, "I", g.countI, 0.99);
  s.errorsBefore = round(g.errorsB);
  s.errorsAfter = round(g.errorsI);
  s.new = g.countB === 0;
  s.firstSeenAfter = g.firstSeenI;
  return s;
}

function quantileOf(g: GroupData, w: "I" | "B", n: number, p: number): number | null {
  return n > 0 ? round(groupQuantile(g, w, n, p)) : null;
}

/** Changes plus every group's traffic shift, groups with requests in I first by volume. */
export function findTouches(changes: AccessChange[], traffic: IndexedTraffic, o: TouchOptions): Touches {
  const shifts = traffic.groups.map((g) => shiftOf(g, traffic)).sort(byVolume);
  return { changes: findChangeTouches(changes, traffic, o), shifts };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
