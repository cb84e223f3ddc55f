// Small numeric helpers shared by the analysis modules. No dependencies, no I/O.

/** Median of the first `n` values of `xs` (`xs` is not modified). NaN when n = 0. */
export function median(xs: ArrayLike<number>, n = xs.length): number {
  if (n === 0) return NaN;
  // The spike scan takes two medians per minute of a day: select in a reused buffer instead of
  // sorting a fresh copy. Selection finds the same order statistics as sorting, so the value is
  // identical; NaN and −0 (whose order only a sort defines) take the sorting path.
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const a = scratch;
  for (let i = 0; i < n; i++) {
    const v = xs[i];
    if (v !== v || (v === 0 && 1 / v < 0)) return sortedMedian(Float64Array.from({ length: n }, (_, j) => xs[j]).sort(), n);
    a[i] = v;
  }
  const mid = n >> 1;
  select(a, 0, n - 1, mid);
  if (n % 2) return a[mid];
  let below = a[0];
  for (let i = 1; i < mid; i++) if (a[i] > below) below = a[i];
  return (below + a[mid]) / 2;
}

let scratch = new Float64Array(256);

/** Rearranges a[lo..hi] so that a[k] holds the value a sort would put there, smaller ones before it. */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i]; a[i] = a[j]; a[j] = t;
        i++; j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function sortedMedian(a: Float64Array, n: number): number {
  const mid = n >> 1;
  return n % 2 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}

/** Median and 1.4826·MAD (a consistent estimate of σ for normal data, robust to outliers). */
export function medianAndSpread(xs: ArrayLike<number>, n = xs.length): { level: number; spread: number } {
  const level = median(xs, n);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(xs[i] - level);
  return { level, spread: 1.4826 * median(dev, n) };
}

/** Linear-interpolated quantile of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Upper tail of the standard normal, P(Z > z) (Abramowitz–Stegun 7.1.26 via erfc; |err| < 1.5e-7). */
export function normalSf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Benjamini–Hochberg adjusted p-values (q-values), in the input order. */
export function benjaminiHochberg(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const [p, i] = order[r];
    running = Math.min(running, (p * m) / (r + 1));
    q[i] = running;
  }
  return q;
}

/** Seeded PRNG (mulberry32): results must be reproducible for an incident review. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32's sequence as indexes in [0, n): floor(next() · n), exactly (for n < 2^21 every
 * product is exact), without a float or a growing number per draw — the state lives in an Int32Array
 * slot, where a number above 2^30 in a closure was a heap allocation on every draw.
 */
export function mulberry32Index(seed: number): (n: number) => number {
  const s = new Int32Array(1);
  s[0] = seed | 0;
  return (n) => {
    s[0] = (s[0] + 0x6d2b79f5) | 0;
    let t = s[0];
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) * n) / 4294967296);
  };
}

/** Weighted least squares slope of y on x. NaN when x has no spread. */
export function weightedSlope(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): number {
  let sw = 0, sx = 0, sy = 0;
  for (let i = 0; i < x.length; i++) {
    sw += w[i];
    sx += w[i] * x[i];
    sy += w[i] * y[i];
  }
  if (sw === 0) return NaN;
  const mx = sx / sw, my = sy / sw;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    sxx += w[i] * dx * dx;
    sxy += w[i] * dx * (y[i] - my);
  }
  return sxx > 0 ? sxy / sxx : NaN;
}
