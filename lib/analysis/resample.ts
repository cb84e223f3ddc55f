// Minute-block bootstrap over pre-aggregated histograms. One pass computes, for one weight vector
// over the minutes of B and I: q(B), q(I), the shift-share re-weighted q, each target's removal
// share and each noisy-neighbour target's share of the others' excess. Iteration 0 is the point
// estimate (all weights 1); the rest resample blocks of minutes with a seeded PRNG.
import type { Entries, GroupData, IndexedTraffic, MinuteHistograms, WindowData } from "./traffic";
import { BIN_COUNT, binRange, histQuantile } from "./histogram";
import { mulberry32Index, weightedSlope } from "./stats";
import { addWeighted, addWeightedByMinute, clearBins, sameEntries, uniqueTargets, type UniqueTarget } from "./resample-targets";

export interface NeighbourData {
  group: GroupData;
  /** Others' percentile per minute (NaN where too few requests), B minutes then I minutes. */
  y: Float64Array;
  /** The group's requests per minute, same layout. */
  x: Float64Array;
}

export interface ResampleOptions {
  q: number;
  iterations: number;
  seed: number;
  blockMinutes: number;
  /** Minimum requests left in I after removing a target for its share to be defined. */
  minRemaining: number;
  /**
   * Resample the shift-share re-weighted q too (qRw of every iteration). Off, only qRw[0] (the
   * point estimate) is computed and the rest is NaN: the re-weighting visits every key's requests,
   * and its samples are needed only when a change is tested as slowing all callers.
   */
  reweightSamples?: boolean;
}

export interface ResampleResult {
  qB: Float64Array;
  qI: Float64Array;
  qRw: Float64Array;
  /** [target][iteration], NaN where Δ* ≤ 0. Index 0 is the point estimate. */
  removal: Float64Array[];
  /** [target][iteration]: q(I) without the target's requests. */
  without: Float64Array[];
  neighbourShare: Float64Array[];
  neighbourSlope: Float64Array[];
}

/** neighbourData of each group; groups with the same requests (entries) share one computation. */
export function neighboursData(traffic: IndexedTraffic, groups: GroupData[], q: number): NeighbourData[] {
  const out: NeighbourData[] = [];
  for (const g of groups) {
    const same = out.find((d) => sameEntries(d.group.I, g.I) && sameEntries(d.group.B, g.B));
    out.push(same ? { group: g, x: same.x, y: same.y } : neighbourData(traffic, g, q));
  }
  return out;
}

/** Others' per-minute percentile and the group's per-minute rate, for the noisy-neighbour regression. */
export function neighbourData(traffic: IndexedTraffic, g: GroupData, q: number, minOthers = 10): NeighbourData {
  const { B, I } = traffic;
  const n = B.nMin + I.nMin;
  const x = new Float64Array(n), y = new Float64Array(n).fill(NaN);
  const fill = (w: WindowData, e: Entries, perMin: Float64Array, off: number) => {
    // The group's histogram of one minute at a time, from its entries grouped by minute (stable,
    // so each bin sums in entry order as a dense per-minute array would).
    const start = new Int32Array(w.nMin + 1);
    for (let j = 0; j < e.min.length; j++) start[e.min[j] + 1]++;
    for (let m = 0; m < w.nMin; m++) start[m + 1] += start[m];
    const order = new Int32Array(e.min.length), next = start.slice(0, w.nMin);
    for (let j = 0; j < e.min.length; j++) order[next[e.min[j]]++] = j;
    const h = w.minutes;
    for (let m = 0; m < w.nMin; m++) {
      x[off + m] = perMin[m];
      const others = w.minuteCount[m] - perMin[m];
      if (!(others >= minOthers)) continue;
      for (let k = h.start[m]; k < h.start[m + 1]; k++) rowScratch[h.bin[k]] = h.cnt[k];
      for (let k = start[m]; k < start[m + 1]; k++) minuteScratch[e.bin[order[k]]] += e.cnt[order[k]];
      y[off + m] = histQuantile(rowScratch, minuteScratch, others, q);
      for (let k = start[m]; k < start[m + 1]; k++) minuteScratch[e.bin[order[k]]] = 0;
      for (let k = h.start[m]; k < h.start[m + 1]; k++) rowScratch[h.bin[k]] = 0;
    }
  };
  fill(B, g.B, g.perMinB, 0);
  fill(I, g.I, g.perMinI, B.nMin);
  return { group: g, x, y };
}

// One minute's histogram of the window's and of a neighbour's requests; all zero between uses.
const rowScratch = new Float64Array(BIN_COUNT), minuteScratch = new Float64Array(BIN_COUNT);

/** Minute-block bootstrap weights: `w.length` minutes drawn as ⌈n/block⌉ blocks of `block` consecutive minutes, with replacement. */
export function drawWeights(w: Float64Array, block: number, randomIndex: (n: number) => number): void {
  w.fill(0);
  const nBlocks = Math.ceil(w.length / block);
  for (let d = 0; d < nBlocks; d++) {
    const start = randomIndex(nBlocks) * block;
    for (let m = start; m < Math.min(w.length, start + block); m++) w[m] += 1;
  }
}

/** Minutes where a per-minute series is non-zero: sums over them equal the dense sums exactly (adding 0 changes nothing). */
function nonZero(perMin: Float64Array): Int32Array {
  const out: number[] = [];
  for (let m = 0; m < perMin.length; m++) if (perMin[m] !== 0) out.push(m);
  return Int32Array.from(out);
}

// Same additions in the same order as the dense loop over every bin, minus the zero terms, so
// the histogram (and every quantile read from it) is bit-for-bit the dense one. Bins outside
// [lo, hi] are never written, so only those inside need clearing.
function windowHist(w: WindowData, sw: MinuteHistograms, weights: Float64Array, out: Float64Array, lo: number, hi: number): number {
  out.fill(0, lo, hi + 1);
  let total = 0;
  for (let m = 0; m < w.nMin; m++) {
    const k = weights[m];
    if (!k) continue;
    total += k * w.minuteCount[m];
    for (let j = sw.start[m]; j < sw.start[m + 1]; j++) out[sw.bin[j]] += k * sw.cnt[j];
  }
  return total;
}

export function resample(traffic: IndexedTraffic, targets: Entries[], neighbours: NeighbourData[], o: ResampleOptions): ResampleResult {
  const { B, I } = traffic;
  const R = o.iterations + 1;
  const res: ResampleResult = {
    qB: new Float64Array(R), qI: new Float64Array(R), qRw: new Float64Array(R),
    removal: targets.map(() => new Float64Array(R)), without: targets.map(() => new Float64Array(R)),
    neighbourShare: neighbours.map(() => new Float64Array(R)), neighbourSlope: neighbours.map(() => new Float64Array(R)),
  };
  // Keys with no requests in B or in I never enter the shift-share; the rest are summed over the
  // minutes where they have requests only.
  const keys = [...traffic.byKind.key.values()]
    .filter((g) => g.countB !== 0 && g.countI !== 0)
    .map((g) => ({ g, minB: nonZero(g.perMinB), minI: nonZero(g.perMinI) }));
  const sB = B.minutes, sI = I.minutes;
  const wB = new Float64Array(B.nMin).fill(1), wI = new Float64Array(I.nMin).fill(1);
  const wAll = new Float64Array(B.nMin + I.nMin);
  const hB = new Float64Array(BIN_COUNT), hI = new Float64Array(BIN_COUNT), hRw = new Float64Array(BIN_COUNT), tmp = new Float64Array(BIN_COUNT);
  const rand = mulberry32Index(o.seed);
  // The point estimate (no resamples) takes each target as it is: finding the distinct sets costs
  // as much as the one pass it would save (every removable candidate is a target, ~800 at a busy
  // endpoint); the bootstrap's targets, the few that matter, are summed 200 times.
  const unique = o.iterations > 0 ? uniqueTargets(targets, I.nMin) : targets.map((entries, t): UniqueTarget => ({ entries, start: null, members: [t] }));
  // Neighbours sharing their inputs (neighboursData shares them between groups with the same
  // requests: a flooding key, its identity and its policy are often one set) have the same
  // regression: each distinct one is resampled once.
  const sameAs = neighbours.map((n, t) => neighbours.findIndex((m, u) => u <= t && m.x === n.x && m.y === n.y));
  // The regression's inputs with missing minutes zeroed, built once (not per iteration).
  const nY = neighbours.map(({ y }) => y.map((v) => (Number.isNaN(v) ? 0 : v)));
  const nW = new Float64Array(B.nMin + I.nMin);
  // Minutes where the regression has a value (others' percentile defined), as 0/1 weights.
  const nValid = neighbours.map(({ y }) => y.map((v) => (Number.isNaN(v) ? 0 : 1)));
  const means = new Float64Array(2);
  // Every histogram of the bootstrap lives within the windows' non-empty bins.
  const [lo, hi] = binRange(B.hist, I.hist);
  // I's histogram is the largest target's plus the rest of I's: summing the rest instead of all of
  // I saves the target's entries per resample (a culprit is often most of the incident). Exact, so
  // only with integer counts (every sum is then an exact integer, in any order); not worth building
  // the rest for the point estimate alone.
  const star = o.iterations > 0 ? largestExactTarget(unique, I) : -1;
  const rest = star >= 0 ? complementOf(I.minutes, unique[star].entries, unique[star].start!) : null;
  const tmpStar = new Float64Array(BIN_COUNT), tmpRest = new Float64Array(BIN_COUNT);

  for (let it = 0; it < R; it++) {
    if (it > 0) {
      drawWeights(wB, o.blockMinutes, rand);
      drawWeights(wI, o.blockMinutes, rand);
    }
    const nB = windowHist(B, sB, wB, hB, lo, hi);
    let nI: number, cStar = 0;
    if (rest) {
      const t = unique[star];
      cStar = addWeightedByMinute(t.entries, t.start!, wI, tmpStar);
      nI = cStar + addWeightedByMinute(rest.entries, rest.start, wI, tmpRest);
      for (let b = lo; b <= hi; b++) hI[b] = tmpStar[b] + tmpRest[b];
      clearBins(rest.entries, tmpRest);
    } else {
      nI = windowHist(I, sI, wI, hI, lo, hi);
    }
    const qB = histQuantile(hB, null, nB, o.q, 0, 0, lo, hi), qI = histQuantile(hI, null, nI, o.q, 0, 0, lo, hi);
    res.qB[it] = qB; res.qI[it] = qI;
    const delta = qI - qB;

    // Shift-share: each key keeps its latency profile in I but gets its B share of volume.
    if (it > 0 && o.reweightSamples === false) {
      res.qRw[it] = NaN;
    } else {
      res.qRw[it] = reweightedQuantile(keys, wB, wI, nB, nI, hRw, o.q);
    }

    for (let u = 0; u < unique.length; u++) {
      const { entries: e, start } = unique[u];
      const h = u === star ? tmpStar : tmp;
      const c = u === star ? cStar : start ? addWeightedByMinute(e, start, wI, tmp) : addWeighted(e, wI, tmp);
      // Removing (nearly) all traffic leaves no counterfactual: a group that is the whole endpoint
      // (e.g. the one policy every key has) explains nothing about who caused the spike.
      const without = nI - c >= o.minRemaining ? histQuantile(hI, h, nI - c, o.q, 0, 0, lo, hi) : NaN;
      const removal = delta > 0 ? (qI - without) / delta : NaN;
      for (const t of unique[u].members) {
        res.without[t][it] = without;
        res.removal[t][it] = removal;
      }
      clearBins(e, h);
    }

    wAll.set(wB, 0);
    wAll.set(wI, B.nMin);
    for (let t = 0; t < neighbours.length; t++) {
      if (sameAs[t] !== t) {
        res.neighbourSlope[t][it] = res.neighbourSlope[sameAs[t]][it];
        res.neighbourShare[t][it] = res.neighbourShare[sameAs[t]][it];
        continue;
      }
      const { x } = neighbours[t], yy = nY[t], w = nW, valid = nValid[t];
      for (let i = 0; i < w.length; i++) w[i] = valid[i] ? wAll[i] : 0;
      const slope = weightedSlope(x, yy, w);
      weightedMeans(x, yy, w, 0, B.nMin, means);
      const xB = means[0], yB = means[1];
      weightedMeans(x, yy, w, B.nMin, x.length, means);
      const excess = means[1] - yB;
      res.neighbourSlope[t][it] = slope;
      res.neighbourShare[t][it] = excess > 0 && Number.isFinite(slope) ? (slope * (means[0] - xB)) / excess : NaN;
    }
  }
  return res;
}

/** q of I with each key's volume scaled to its B share (its latency profile kept). */
function reweightedQuantile(keys: { g: GroupData; minB: Int32Array; minI: Int32Array }[], wB: Float64Array, wI: Float64Array, nB: number, nI: number, hRw: Float64Array, q: number): number {
  hRw.fill(0);
  let nRw = 0;
  for (const { g, minB, minI } of keys) {
    const cB = weightedSum(g.perMinB, minB, wB), cI = weightedSum(g.perMinI, minI, wI);
    if (cB === 0 || cI === 0) continue;
    const k = (cB / nB) / (cI / nI);
    nRw += k * cI;
    addScaled(g.I, k, wI, hRw);
  }
  return histQuantile(hRw, null, nRw, q);
}

/** The canonical target with the most entries, when I's counts are all integers (else -1). */
function largestExactTarget(unique: UniqueTarget[], I: WindowData): number {
  const cnt = I.minutes.cnt;
  for (let j = 0; j < cnt.length; j++) if (!Number.isInteger(cnt[j]) || cnt[j] < 0) return -1;
  let best = -1;
  for (let u = 0; u < unique.length; u++) {
    if (unique[u].start && (best < 0 || unique[u].entries.min.length > unique[best].entries.min.length)) best = u;
  }
  return best;
}

/** I's (minute, bin) counts less a canonical target's (a subset of them), canonical too. */
function complementOf(I: MinuteHistograms, t: Entries, tStart: Int32Array): { entries: Entries; start: Int32Array } {
  const nMin = I.start.length - 1;
  const min: number[] = [], bin: number[] = [], cnt: number[] = [];
  const start = new Int32Array(nMin + 1);
  for (let m = 0; m < nMin; m++) {
    start[m] = min.length;
    let k = tStart[m];
    for (let j = I.start[m]; j < I.start[m + 1]; j++) {
      let c = I.cnt[j];
      while (k < tStart[m + 1] && t.bin[k] < I.bin[j]) k++;
      if (k < tStart[m + 1] && t.bin[k] === I.bin[j]) c -= t.cnt[k];
      if (c !== 0) { min.push(m); bin.push(I.bin[j]); cnt.push(c); }
    }
  }
  start[nMin] = min.length;
  return { entries: { min: Int32Array.from(min), bin: Int32Array.from(bin), cnt: Float64Array.from(cnt) }, start };
}

/** Weighted means of x and y over [from, to) into out[0] and out[1] (NaN without weight). */
function weightedMeans(x: Float64Array, y: Float64Array, w: Float64Array, from: number, to: number, out: Float64Array): void {
  let sw = 0, sx = 0, sy = 0;
  for (let i = from; i < to; i++) {
    sw += w[i]; sx += w[i] * x[i]; sy += w[i] * y[i];
  }
  out[0] = sw > 0 ? sx / sw : NaN;
  out[1] = sw > 0 ? sy / sw : NaN;
}

/** Σ w[m]·perMin[m] over the listed minutes. */
function weightedSum(perMin: Float64Array, minutes: Int32Array, w: Float64Array): number {
  let s = 0;
  for (let j = 0; j < minutes.length; j++) s += w[minutes[j]] * perMin[minutes[j]];
  return s;
}

/** h += k·w[minute]·count for each entry, in entry order (k is fractional: order fixes the rounding). */
function addScaled(e: Entries, k: number, w: Float64Array, h: Float64Array): void {
  const min = e.min, bin = e.bin, cnt = e.cnt;
  for (let j = 0; j < min.length; j++) h[bin[j]] += k * w[min[j]] * cnt[j];
}
