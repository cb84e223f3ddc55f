// An endpoint's capacity from its own minutes: bin the minutes by served request rate, read each
// bin's p99 from the sum of its minutes' latency histograms, bootstrap it by blocks of minutes,
// and call the knee the lowest rate bin whose p99 is over the objective with confidence (its
// interval's lower end above it). The capacity is where the p99 curve crosses the objective,
// interpolated between the last bin under it and the next; its interval is the spread of that
// crossing over the bootstrap's iterations.
//
// Rejected requests are left out of the rate: Tyk answered them itself, so they never loaded the
// upstream whose latency bends.
import { BIN_COUNT, histQuantile } from "@/lib/analysis/histogram";
import { drawWeights } from "@/lib/analysis/resample";
import { mulberry32Index, quantileSorted } from "@/lib/analysis/stats";

/** Minutes of one endpoint in time order, with their served request counts and sparse latency histograms (CSR). */
export interface MinuteLoad {
  served: Float64Array;
  /** Minute m's histogram entries are [start[m], start[m + 1]) of bin/cnt. */
  start: Int32Array;
  bin: Int32Array;
  cnt: Float64Array;
}

export interface CapacityOptions {
  objectiveMs: number;
  q?: number;
  /** Two-sided level of the intervals (0.9: a 5 %–95 % interval; "with confidence" = its lower end over the objective). */
  confidence?: number;
  iterations?: number;
  seed?: number;
  blockMinutes?: number;
  /** Fewer minutes than this in a rate bin merge it with the next one up. */
  minBinMinutes?: number;
  /** Rate bins grow by this factor. */
  binGrowth?: number;
  /** Fewer minutes with served requests than this: not enough data. */
  minMinutes?: number;
}

export interface RateBin {
  fromRps: number;
  toRps: number;
  /** Mean served rate of the bin's minutes. */
  rps: number;
  minutes: number;
  p99: number;
  lo: number;
  hi: number;
  /** The bin's p99 is over the objective with confidence. */
  over: boolean;
}

interface Common {
  objectiveMs: number;
  bins: RateBin[];
  minutes: number;
}

export type Capacity =
  | (Common & { kind: "knee"; capacityRps: number; ciLow: number; ciHigh: number; kneeBin: number })
  /** p99 stays under the objective at every rate seen: the capacity is above the highest. */
  | (Common & { kind: "not_reached"; maxRps: number; missing: string })
  /** Even the lightest minutes are over the objective: the capacity (if any) is below them. */
  | (Common & { kind: "below_range"; minRps: number; missing: string })
  | (Common & { kind: "not_enough_data"; missing: string });

const DEFAULTS = { q: 0.99, confidence: 0.9, iterations: 200, seed: 0x1d_22, blockMinutes: 10, minBinMinutes: 10, binGrowth: 1.25, minMinutes: 60 };

/** Pooled p99 of the minutes at or below the median served rate: what the endpoint does when it is not busy. */
export function baselineP99(load: MinuteLoad, q = DEFAULTS.q): number {
  const rates = [...load.served].filter((r) => r > 0).sort((a, b) => a - b);
  if (!rates.length) return NaN;
  const median = quantileSorted(rates, 0.5);
  const h = new Float64Array(BIN_COUNT);
  let total = 0;
  for (let m = 0; m < load.served.length; m++) {
    if (!(load.served[m] > 0) || load.served[m] > median) continue;
    for (let k = load.start[m]; k < load.start[m + 1]; k++) h[load.bin[k]] += load.cnt[k];
    total += histTotal(load, m);
  }
  return histQuantile(h, null, total, q);
}

/** Indices of the minutes whose own p99 is over the objective (the endpoint was not itself then). */
export function minutesOverObjective(load: MinuteLoad, objectiveMs: number, q = DEFAULTS.q): number[] {
  const out: number[] = [];
  const h = new Float64Array(BIN_COUNT);
  for (let m = 0; m < load.served.length; m++) {
    if (load.start[m + 1] === load.start[m]) continue;
    h.fill(0);
    for (let k = load.start[m]; k < load.start[m + 1]; k++) h[load.bin[k]] += load.cnt[k];
    if (histQuantile(h, null, histTotal(load, m), q) > objectiveMs) out.push(m);
  }
  return out;
}

function histTotal(load: MinuteLoad, m: number): number {
  let t = 0;
  for (let k = load.start[m]; k < load.start[m + 1]; k++) t += load.cnt[k];
  return t;
}

/** Rate bins (per-minute counts) over the minutes with served requests: geometric edges, sparse ones merged upward. */
function rateBins(served: Float64Array, growth: number, minMinutes: number): { edges: number[]; binOf: Int32Array } {
  const binOf = new Int32Array(served.length).fill(-1);
  let min = Infinity, max = 0;
  for (const r of served) if (r > 0) [min, max] = [Math.min(min, r), Math.max(max, r)];
  if (!(max > 0)) return { edges: [], binOf };
  const raw = [min];
  while (raw[raw.length - 1] * growth <= max) raw.push(raw[raw.length - 1] * growth);
  raw.push(Infinity);
  const counts = new Array<number>(raw.length - 1).fill(0);
  const rawOf = (r: number) => {
    let i = Math.min(raw.length - 2, Math.floor(Math.log(r / min) / Math.log(growth)));
    while (i > 0 && r < raw[i]) i--;
    while (r >= raw[i + 1]) i++;
    return i;
  };
  for (const r of served) if (r > 0) counts[rawOf(r)]++;
  // Merge each sparse raw bin with the next; a sparse remainder at the top joins the last full bin.
  const edges = [raw[0]];
  const merged = new Int32Array(counts.length);
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    merged[i] = edges.length - 1;
    acc += counts[i];
    if (acc >= minMinutes && i < counts.length - 1) {
      edges.push(raw[i + 1]);
      acc = 0;
    }
  }
  if (acc < minMinutes && edges.length > 1) {
    edges.pop();
    for (let i = 0; i < merged.length; i++) merged[i] = Math.min(merged[i], edges.length - 1);
  }
  edges.push(max);
  for (let m = 0; m < served.length; m++) if (served[m] > 0) binOf[m] = merged[rawOf(served[m])];
  return { edges, binOf };
}

/** Each rate bin's quantile under minute weights `w` (NaN for a bin with no weight). */
function binQuantiles(load: MinuteLoad, binOf: Int32Array, nBins: number, w: Float64Array | null, q: number, hist: Float64Array, out: Float64Array): void {
  hist.fill(0);
  const totals = new Float64Array(nBins);
  for (let m = 0; m < binOf.length; m++) {
    const b = binOf[m];
    const k = w ? w[m] : 1;
    if (b < 0 || !k) continue;
    const off = b * BIN_COUNT;
    for (let j = load.start[m]; j < load.start[m + 1]; j++) {
      hist[off + load.bin[j]] += k * load.cnt[j];
      totals[b] += k * load.cnt[j];
    }
  }
  for (let b = 0; b < nBins; b++) out[b] = histQuantile(hist, null, totals[b], q, b * BIN_COUNT);
}

/**
 * Where p99 crosses the objective at or after bin `from`: between the first bin over it and the
 * last one under it before that (linear in rate). The top bin's rate when none is over; the bottom
 * bin's lower edge when none before is under. Bins with no estimate (NaN) are skipped.
 */
function crossing(p: Float64Array, bins: Pick<RateBin, "rps" | "fromRps">[], objective: number, from: number): number {
  let i = from;
  while (i < p.length && !(p[i] > objective)) i++;
  if (i >= p.length) return bins[bins.length - 1].rps;
  let j = i - 1;
  while (j >= 0 && !(p[j] <= objective)) j--;
  if (j < 0) return bins[0].fromRps;
  const t = (objective - p[j]) / (p[i] - p[j]);
  return bins[j].rps + t * (bins[i].rps - bins[j].rps);
}

/** The endpoint's capacity at its objective, or what is missing to say it (see Capacity). */
export function estimateCapacity(load: MinuteLoad, options: CapacityOptions): Capacity {
  const o = { ...DEFAULTS, ...options };
  const objectiveMs = o.objectiveMs;
  let minutes = 0;
  for (const r of load.served) if (r > 0) minutes++;
  if (minutes < o.minMinutes) {
    return { kind: "not_enough_data", objectiveMs, bins: [], minutes, missing: `${minutes} minutes with served requests; need at least ${o.minMinutes}` };
  }
  const { edges, binOf } = rateBins(load.served, o.binGrowth, o.minBinMinutes);
  const nBins = edges.length - 1;
  const hist = new Float64Array(nBins * BIN_COUNT);
  const point = new Float64Array(nBins);
  binQuantiles(load, binOf, nBins, null, o.q, hist, point);

  const samples = Array.from({ length: nBins }, () => new Float64Array(o.iterations));
  const rand = mulberry32Index(o.seed);
  const w = new Float64Array(load.served.length);
  const iter = new Float64Array(nBins);
  const iterations: Float64Array[] = [];
  for (let it = 0; it < o.iterations; it++) {
    drawWeights(w, o.blockMinutes, rand);
    binQuantiles(load, binOf, nBins, w, o.q, hist, iter);
    for (let b = 0; b < nBins; b++) samples[b][it] = iter[b];
    iterations.push(iter.slice());
  }
  const tail = (1 - o.confidence) / 2;
  const sums = new Float64Array(nBins), counts = new Float64Array(nBins);
  for (let m = 0; m < binOf.length; m++) {
    if (binOf[m] < 0) continue;
    sums[binOf[m]] += load.served[m];
    counts[binOf[m]]++;
  }
  const bins: RateBin[] = Array.from({ length: nBins }, (_, b) => {
    const s = [...samples[b]].filter(Number.isFinite).sort((x, y) => x - y);
    const lo = quantileSorted(s, tail), hi = quantileSorted(s, 1 - tail);
    return { fromRps: edges[b] / 60, toRps: edges[b + 1] / 60, rps: sums[b] / counts[b] / 60, minutes: counts[b], p99: point[b], lo, hi, over: lo > objectiveMs };
  });

  const common = { objectiveMs, bins, minutes };
  if (nBins < 2) {
    return { kind: "not_enough_data", ...common, missing: `every minute is at about the same load (${fmt(bins[0]?.rps ?? 0)} req/s): need minutes at several load levels` };
  }
  const kneeBin = bins.findIndex((b) => b.over);
  const maxRps = bins[nBins - 1].toRps;
  if (kneeBin < 0) {
    return { kind: "not_reached", ...common, maxRps,
      missing: `p99 stays within ${fmt(objectiveMs)} ms up to ${fmt(maxRps)} req/s: no busier minutes to show where it bends` };
  }
  if (!bins.slice(0, kneeBin).some((b) => b.p99 <= objectiveMs)) {
    return { kind: "below_range", ...common, minRps: bins[0].fromRps,
      missing: `p99 is over ${fmt(objectiveMs)} ms even at the lightest load seen (${fmt(bins[0].fromRps)} req/s): no minutes under the objective` };
  }
  const capacityRps = crossing(point, bins, objectiveMs, kneeBin);
  const crossings = iterations.map((p) => crossing(p, bins, objectiveMs, kneeBin)).sort((a, b) => a - b);
  return { kind: "knee", ...common, kneeBin, capacityRps, ciLow: quantileSorted(crossings, tail), ciHigh: quantileSorted(crossings, 1 - tail) };
}

function fmt(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n >= 10 ? n.toFixed(1).replace(/\.0$/, "") : String(Math.round(n * 100) / 100);
}

/** One line for people: "capacity ≈ N req/s at p99 ≤ X ms (90% CI a–b)", or "not enough data: …". */
export function capacityText(c: Capacity, confidence = DEFAULTS.confidence): string {
  if (c.kind === "knee") {
    return `capacity ≈ ${fmt(c.capacityRps)} req/s at p99 ≤ ${fmt(c.objectiveMs)} ms (${Math.round(confidence * 100)}% CI ${fmt(c.ciLow)}–${fmt(c.ciHigh)})`;
  }
  return `not enough data: ${c.missing}`;
}

export { fmt as formatRate };
