// One key's traffic split at a change's minute: the numbers "enabled by" compares (enabled-by.ts).
import type { GroupData, IndexedTraffic } from "./traffic";

const MIN = 60_000;

/** Served traffic of one key before and after `at` (a whole minute). */
export interface Around {
  g: GroupData;
  traffic: IndexedTraffic;
  at: number;
  rateBefore: number;
  countBefore: number;
  rateAfter: number;
  countAfter: number;
}

/** Fewer pre-change minutes than this in B and the whole of B stands for "before" (conservative: any post-change growth inside B only lowers the ratio). */
const MIN_BEFORE_MINUTES = 10;

// Minutes are walked B first, then I, in time order; sums run in that order.
export function around(g: GroupData, traffic: IndexedTraffic, at: number): Around | null {
  const { B, I } = traffic, pB = g.perMinB, pI = g.perMinI;
  let countBefore = 0, nBefore = 0;
  for (let m = 0; m < B.nMin; m++) if (B.window.from + (m + 1) * MIN <= at) { countBefore += pB[m]; nBefore++; }
  if (nBefore < MIN_BEFORE_MINUTES) {
    countBefore = 0;
    for (let m = 0; m < B.nMin; m++) countBefore += pB[m];
    nBefore = B.nMin;
  } else {
    for (let m = 0; m < I.nMin; m++) if (I.window.from + (m + 1) * MIN <= at) { countBefore += pI[m]; nBefore++; }
  }
  // The incident is what the share measures: "after" is I from the change on (all of I for a change before it).
  let countAfter = 0, nAfter = 0;
  for (let m = 0; m < I.nMin; m++) if (I.window.from + m * MIN >= at) { countAfter += pI[m]; nAfter++; }
  if (!nAfter || !nBefore) return null;
  return { g, traffic, at, countBefore, countAfter, rateBefore: countBefore / nBefore, rateAfter: countAfter / nAfter };
}

/** Start of the first minute from the change on (B, then I) whose served count passes `test`, or null. */
export function firstMinuteAfter(a: Around, test: (n: number) => boolean): number | null {
  for (const [w, perMin] of [[a.traffic.B, a.g.perMinB], [a.traffic.I, a.g.perMinI]] as const) {
    for (let m = 0; m < w.nMin; m++) {
      const t = w.window.from + m * MIN;
      if (t >= a.at && test(perMin[m])) return t;
    }
  }
  return null;
}

export interface RejectionsStopped {
  shareBefore: number;
  shareAfter: number;
  servedRateBefore: number;
  servedRateAfter: number;
}

/** Minutes on each side of the change the rejection test looks at: the change must be when they stopped. */
const NEAR_MINUTES = 15;

/**
 * Whether Tyk stopped rejecting the key's attempts at `at`: over the (up to) 15 minutes before it
 * at least half of ≥ 10 attempts were rejected (429/403), over the 15 minutes from it on at most a
 * quarter of that share were, and its served rate at least doubled (by ≥ 1/min). Null otherwise.
 */
export function rejectionsAround(g: GroupData, traffic: IndexedTraffic, at: number): RejectionsStopped | null {
  let sB = 0, rB = 0, nB = 0, sA = 0, rA = 0, nA = 0;
  const walk = (w: IndexedTraffic["B"], served: Float64Array, rejected: Float64Array) => {
    for (let m = 0; m < w.nMin; m++) {
      const t = w.window.from + m * MIN;
      if (t < at && t >= at - NEAR_MINUTES * MIN) { sB += served[m]; rB += rejected[m]; nB++; }
      else if (t >= at && t < at + NEAR_MINUTES * MIN) { sA += served[m]; rA += rejected[m]; nA++; }
    }
  };
  walk(traffic.B, g.perMinB, g.rejectedPerMinB);
  walk(traffic.I, g.perMinI, g.rejectedPerMinI);
  if (!nB || !nA || sB + rB < 10 || sA + rA === 0) return null;
  const shareBefore = rB / (sB + rB), shareAfter = rA / (sA + rA);
  const servedRateBefore = sB / nB, servedRateAfter = sA / nA;
  if (shareBefore < 0.5 || shareAfter > shareBefore / 4 || servedRateAfter < 2 * servedRateBefore || servedRateAfter - servedRateBefore < 1) return null;
  return { shareBefore, shareAfter, servedRateBefore, servedRateAfter };
}
