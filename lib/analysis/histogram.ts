// Log-bucketed latency histograms. Percentiles of arbitrary unions and differences of caller groups
// (q(I), q(I \ g), re-weighted I) are all sums/differences of histograms, so the SQL side can
// pre-aggregate per (minute, caller) and the bootstrap never sorts requests. Bins grow by 4%, so a
// percentile read from a histogram is within ~2% of the exact one (interpolated inside the bin).

export const BIN_GROWTH = 1.04;
/** Bin 0 holds [0, 1) ms; bin i ≥ 1 holds [γ^(i-1), γ^i) ms; the last bin also holds everything above ~10 min. */
export const BIN_COUNT = 350;
const LOG_G = Math.log(BIN_GROWTH);

/** The same binning as latencyBin, for the SQL layer's GROUP BY (latency_ms is an integer column). */
export const LATENCY_BIN_SQL =
  `CASE WHEN latency_ms < 1 THEN 0 ELSE LEAST(${BIN_COUNT - 1}, floor(ln(latency_ms::float8) / ln(${BIN_GROWTH}))::int + 1) END`;

export function latencyBin(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(BIN_COUNT - 1, Math.floor(Math.log(ms) / LOG_G) + 1);
}

/** Percentiles read from 4% bins carry no more than three significant digits: stored ones keep two decimals. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function binLower(bin: number): number {
  return bin === 0 ? 0 : Math.pow(BIN_GROWTH, bin - 1);
}

export function binUpper(bin: number): number {
  return Math.pow(BIN_GROWTH, bin);
}

/**
 * The q-quantile of (h − sub) where both are dense histograms of BIN_COUNT bins; `sub` may be null.
 * `total` is the count of h − sub. Returns NaN for an empty histogram. [lo, hi] may bound the bins
 * walked when every bin outside it is empty in h (and sub): the answer is the same, sooner.
 */
export function histQuantile(
  h: Float64Array, sub: Float64Array | null, total: number, q: number, offset = 0, subOffset = 0, lo = 0, hi = BIN_COUNT - 1,
): number {
  if (!(total > 1e-9)) return NaN;
  const target = q * total;
  let cum = 0;
  for (let b = lo; b <= hi; b++) {
    const c = h[offset + b] - (sub ? sub[subOffset + b] : 0);
    if (c <= 1e-12) continue;
    if (cum + c >= target) {
      const frac = (target - cum) / c;
      const lo = binLower(b), hi = binUpper(b);
      return lo + (hi - lo) * frac;
    }
    cum += c;
  }
  // Rounding left the target just past the last non-empty bin.
  for (let b = hi; b >= lo; b--) if (h[offset + b] - (sub ? sub[subOffset + b] : 0) > 1e-12) return binUpper(b);
  return NaN;
}

/** The lowest and highest non-empty bins of dense histograms ([0, -1] when all are empty). */
export function binRange(...hists: Float64Array[]): [number, number] {
  let lo = BIN_COUNT, hi = -1;
  for (const h of hists) {
    for (let b = 0; b < lo; b++) if (h[b] !== 0) { lo = b; break; }
    for (let b = BIN_COUNT - 1; b > hi; b--) if (h[b] !== 0) { hi = b; break; }
  }
  return lo <= hi ? [lo, hi] : [0, -1];
}

/** histQuantile over the non-empty bins only: `bins[0, n)` ascending, `sums` their counts. */
export function sparseQuantile(bins: ArrayLike<number>, sums: ArrayLike<number>, n: number, total: number, q: number): number {
  if (!(total > 1e-9)) return NaN;
  const target = q * total;
  let cum = 0;
  for (let i = 0; i < n; i++) {
    const c = sums[i];
    if (c <= 1e-12) continue;
    if (cum + c >= target) {
      const frac = (target - cum) / c;
      const lo = binLower(bins[i]), hi = binUpper(bins[i]);
      return lo + (hi - lo) * frac;
    }
    cum += c;
  }
  for (let i = n - 1; i >= 0; i--) if (sums[i] > 1e-12) return binUpper(bins[i]);
  return NaN;
}

export function percentileQ(p: "p50" | "p95" | "p99"): number {
  return p === "p50" ? 0.5 : p === "p95" ? 0.95 : 0.99;
}
