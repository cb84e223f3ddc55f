// Touches: the access changes that reached this endpoint around the spike, and how each caller
// group's traffic moved between the baseline B and the incident I.
import type { AccessChange, GroupKind, TrafficShift, Touch, Touches } from "./types";
import { groupQuantile, type CallerGroup, type IndexedTraffic } from "./traffic";

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

/** The minute a change falls in: a change made during the spike's first minute is at its start (t0 is a minute). */
export const changeMinute = (c: Pick<AccessChange, "changedAt">) => Math.floor(c.changedAt / MIN) * MIN;

/**
 * Access changes reaching the endpoint in [t0 − lookback, t0 + after], newest first; deploys (the
 * SQL layer passes only those of the endpoint's upstream services) reach it through its service.
 */
export function findChangeTouches(changes: AccessChange[], traffic: IndexedTraffic, o: TouchOptions): Touch[] {
  const from = o.start - (o.lookbackMinutes ?? 120) * MIN;
  const to = o.start + (o.afterMinutes ?? 15) * MIN;
  const keys = traffic.byKind.key;
  const policies = traffic.byKind.policy;
  const out: Touch[] = [];
  for (const c of changes) {
    if (c.changedAt < from || c.changedAt > to) continue;
    const reachesBy: Touch["reachesBy"] = [];
    if (c.kind === "deploy") reachesBy.push("service");
    else if (c.apiIds.includes(o.apiId)) reachesBy.push("api");
    if (c.keyHashes.some((k) => keys.has(k)) || (c.kind === "key" && keys.has(c.targetId))) reachesBy.push("key");
    if (c.kind === "policy" && policies.has(c.targetId)) reachesBy.push("policy");
    if (!reachesBy.length) continue;
    out.push({ change: c, afterSpikeStart: changeMinute(c) > o.start, minutesBeforeStart: (o.start - c.changedAt) / MIN, reachesBy });
  }
  return out.sort((a, b) => b.change.changedAt - a.change.changedAt);
}

/** A group's request counts and rates in B and I, as its TrafficShift has them. */
export type ShiftCounts = Pick<TrafficShift, "kind" | "id" | "requestsBefore" | "requestsAfter" | "ratePerMinBefore" | "ratePerMinAfter">;

/** The order of Touches.shifts: busiest in I first; ties by kind and id, so lists cut from it do not depend on row order. */
export const byVolume = (a: ShiftCounts, b: ShiftCounts) =>
  b.requestsAfter - a.requestsAfter || b.requestsBefore - a.requestsBefore || compare(a.kind, b.kind) || compare(a.id, b.id);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A group's traffic shift. Its percentiles are computed when first read: an endpoint's windows hold
 * thousands of groups and only the few an answer lists are ever asked for theirs.
 */
class Shift implements TrafficShift {
  // Set by shiftCounts in the constructor.
  readonly kind!: GroupKind;
  readonly id!: string;
  readonly requestsBefore!: number;
  readonly requestsAfter!: number;
  readonly ratePerMinBefore!: number;
  readonly ratePerMinAfter!: number;
  readonly errorsBefore: number;
  readonly errorsAfter: number;
  readonly rejectedBefore: number;
  readonly rejectedAfter: number;
  readonly new: boolean;
  readonly firstSeenAfter: number | null;
  constructor(private readonly g: CallerGroup, traffic: IndexedTraffic) {
    shiftCounts(g, traffic, this);
    this.errorsBefore = round(g.errorsB);
    this.errorsAfter = round(g.errorsI);
    this.rejectedBefore = round(g.rejectedB);
    this.rejectedAfter = round(g.rejectedI);
    // A caller whose every attempt in B was rejected was there all the same.
    this.new = g.countB === 0 && g.rejectedB === 0;
    this.firstSeenAfter = g.firstSeenI;
  }
  get p50Before() { return quantileOf(this.g, "B", 0.5); }
  get p50After() { return quantileOf(this.g, "I", 0.5); }
  get p99Before() { return quantileOf(this.g, "B", 0.99); }
  get p99After() { return quantileOf(this.g, "I", 0.99); }
  toJSON(): TrafficShift {
    const { kind, id, requestsBefore, requestsAfter, ratePerMinBefore, ratePerMinAfter, p50Before, p50After, p99Before, p99After, errorsBefore, errorsAfter, rejectedBefore, rejectedAfter, firstSeenAfter } = this;
    return {
      kind, id, requestsBefore, requestsAfter, ratePerMinBefore, ratePerMinAfter, p50Before, p50After, p99Before, p99After, errorsBefore, errorsAfter,
      rejectedBefore, rejectedAfter, new: this.new, firstSeenAfter,
    };
  }
}

export function shiftOf(g: CallerGroup, traffic: IndexedTraffic): TrafficShift {
  return new Shift(g, traffic);
}

function quantileOf(g: CallerGroup, w: "I" | "B", p: number): number | null {
  const n = w === "I" ? g.countI : g.countB;
  return n > 0 ? round(groupQuantile(g, w, n, p)) : null;
}

// Touches.shifts is built on first read and may be read again: one sorted list per traffic index.
// Shared, so callers must not reorder it.
const shiftLists = new WeakMap<IndexedTraffic, readonly TrafficShift[]>();

/** Every group's traffic shift in byVolume order, computed once per traffic index. */
function shiftsOf(traffic: IndexedTraffic): readonly TrafficShift[] {
  let out = shiftLists.get(traffic);
  if (!out) shiftLists.set(traffic, (out = traffic.groups.map((g) => shiftOf(g, traffic)).sort(byVolume)));
  return out;
}

/** A group's ShiftCounts, without building its shift (into `out` when given). */
function shiftCounts(g: CallerGroup, traffic: IndexedTraffic, out?: ShiftCounts): ShiftCounts {
  const c = out ?? ({} as ShiftCounts);
  c.kind = g.kind;
  c.id = g.id;
  c.requestsBefore = round(g.countB);
  c.requestsAfter = round(g.countI);
  c.ratePerMinBefore = round(g.countB / traffic.B.nMin);
  c.ratePerMinAfter = round(g.countI / traffic.I.nMin);
  return c;
}

/**
 * The first `n` groups in `order` (a total order) among those `keep` accepts, as shifts: what
 * sorting every group's shift and cutting the list gives, with shifts built for those n only.
 */
export function topShifts(
  traffic: IndexedTraffic, keep: (c: ShiftCounts) => boolean, order: (a: ShiftCounts, b: ShiftCounts) => number, n: number,
): TrafficShift[] {
  const top: { c: ShiftCounts; g: CallerGroup }[] = [];
  if (n <= 0) return [];
  // Each group's counts are read into one scratch object; only those entering the top are kept.
  const scratch = {} as ShiftCounts;
  for (const g of traffic.groups) {
    const c = shiftCounts(g, traffic, scratch);
    if (!keep(c) || (top.length === n && order(c, top[n - 1].c) >= 0)) continue;
    let lo = 0, hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(top[mid].c, c) < 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, { c: { ...c }, g });
    if (top.length > n) top.pop();
  }
  return top.map(({ g }) => shiftOf(g, traffic));
}

/**
 * Changes plus every group's traffic shift, groups with requests in I first by volume. The shifts
 * are built when first read (an investigation lists a few with topShifts instead).
 */
export function findTouches(changes: AccessChange[], traffic: IndexedTraffic, o: TouchOptions): Touches {
  return {
    changes: findChangeTouches(changes, traffic, o),
    get shifts() {
      return shiftsOf(traffic);
    },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
