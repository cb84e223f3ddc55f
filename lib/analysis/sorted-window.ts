// The spike scan's trailing window as a sorted multiset, kept from one minute to the next. A
// minute's baseline then costs one insertion and one removal (binary search + a short move) and a
// walk outwards from the median for the MAD, instead of copying the window and selecting twice.
// The values are the same order statistics medianAndSpread finds, so the results are identical.

export class SortedWindow {
  private a: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.a = new Float64Array(Math.max(1, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  /** Adds v: never NaN nor −0 (the scan's log values are neither; medianAndSpread sorts those). */
  insert(v: number): void {
    if (this.size === this.a.length) {
      const grown = new Float64Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    const at = this.bound(v, true);
    this.a.copyWithin(at + 1, at, this.size);
    this.a[at] = v;
    this.size++;
  }

  /** Removes one copy of v, which must be present. */
  remove(v: number): void {
    const at = this.bound(v, false);
    this.a.copyWithin(at, at + 1, this.size);
    this.size--;
  }

  /** Median and 1.4826·MAD of the window, as medianAndSpread computes them. NaN when empty. */
  medianAndSpread(): { level: number; spread: number } {
    const a = this.a, n = this.size;
    if (n === 0) return { level: NaN, spread: NaN };
    const mid = n >> 1;
    const level = n % 2 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
    // |x − level| grows leftwards from the first value ≥ level and rightwards from it: merging
    // the two runs yields the deviations in order. level − x equals |x − level| exactly (IEEE
    // subtraction rounds symmetrically).
    let r = this.bound(level, false), l = r - 1;
    let prev = NaN, cur = NaN;
    for (let k = 0; k <= mid; k++) {
      prev = cur;
      if (l >= 0 && (r >= n || level - a[l] <= a[r] - level)) cur = level - a[l--];
      else cur = a[r++] - level;
    }
    return { level, spread: 1.4826 * (n % 2 ? cur : (prev + cur) / 2) };
  }

  /** First index whose value is > v (upper) or ≥ v (lower). */
  private bound(v: number, upper: boolean): number {
    let lo = 0, hi = this.size;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (upper ? this.a[m] <= v : this.a[m] < v) lo = m + 1;
      else hi = m;
    }
    return lo;
  }
}
