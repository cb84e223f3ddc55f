// Removal targets of the bootstrap: deduplicated and put in a form whose weighted sums are cheap.
// Every function here leaves the statistics bit-for-bit what the straightforward loop computes.
import type { Entries } from "./traffic";
import { BIN_COUNT } from "./histogram";

/**
 * Targets with the same requests (a culprit's key, its identity, its policy and the change that
 * enabled it are often exactly one set) give the same statistics, so each distinct set is
 * resampled once. With integer counts every weighted sum is exact, so a target's entries can be
 * merged per (minute, bin) and compared in that canonical order without changing a bit; with
 * fractional weights (request samples) only identical entry lists are shared.
 */
export function uniqueTargets(targets: Entries[], nMin: number): UniqueTarget[] {
  const out: UniqueTarget[] = [];
  if (cellScratch.length < nMin * BIN_COUNT) cellScratch = new Float64Array(nMin * BIN_COUNT);
  const scratch = cellScratch;
  // Distinct targets by a hash of their entries: comparing each with every one before it was
  // quadratic over the ~800 candidates of a busy endpoint (targets of one size are common).
  const byHash = new Map<number, UniqueTarget[]>();
  for (let t = 0; t < targets.length; t++) {
    const e = canonical(targets[t], scratch);
    const h = entriesHash(e);
    const bucket = byHash.get(h);
    const same = bucket?.find((x) => sameEntries(x.entries, e));
    if (same) {
      same.members.push(t);
      continue;
    }
    const u: UniqueTarget = { entries: e, start: e === targets[t] ? null : minuteStarts(e, nMin), members: [t] };
    out.push(u);
    if (bucket) bucket.push(u);
    else byHash.set(h, [u]);
  }
  return out;
}

const hashBuf = new Float64Array(1), hashWords = new Int32Array(hashBuf.buffer);

/** A 32-bit FNV-1a style hash of the entries (entries sameEntries calls equal hash equal: -0 counts as 0). */
function entriesHash(e: Entries): number {
  let h = 0x811c9dc5 ^ e.min.length;
  for (let j = 0; j < e.min.length; j++) {
    hashBuf[0] = e.cnt[j] + 0;
    h = Math.imul(h ^ e.min[j], 0x01000193);
    h = Math.imul(h ^ e.bin[j], 0x01000193);
    h = Math.imul(h ^ hashWords[0], 0x01000193);
    h = Math.imul(h ^ hashWords[1], 0x01000193);
  }
  return h;
}

export interface UniqueTarget {
  entries: Entries;
  /** For canonical (minute-sorted) entries: entries of minute m are [start[m], start[m + 1]). */
  start: Int32Array | null;
  /** Indexes of the targets with these entries. */
  members: number[];
}

function minuteStarts(e: Entries, nMin: number): Int32Array {
  const start = new Int32Array(nMin + 1);
  for (let j = 0; j < e.min.length; j++) start[e.min[j] + 1]++;
  for (let m = 0; m < nMin; m++) start[m + 1] += start[m];
  return start;
}

// A (minute, bin) grid of I, all zero between uses (canonical clears what it adds): kept across
// calls, as allocating it twice per investigation was a large share of its garbage.
let cellScratch = new Float64Array(0);

// The point estimate and the bootstrap canonicalise the same candidates' entries.
const canonicalOf = new WeakMap<Entries, Entries>();

/** Exact integer sums stay exact below 2^53; requests of one endpoint's windows are far below. */
function canonical(e: Entries, scratch: Float64Array): Entries {
  let c = canonicalOf.get(e);
  if (!c) canonicalOf.set(e, (c = canonicalFrom(e, scratch)));
  return c;
}

function canonicalFrom(e: Entries, scratch: Float64Array): Entries {
  for (let j = 0; j < e.cnt.length; j++) if (!Number.isInteger(e.cnt[j]) || e.cnt[j] < 0) return e;
  const found = new Int32Array(e.min.length);
  let n = 0;
  for (let j = 0; j < e.min.length; j++) {
    const k = e.min[j] * BIN_COUNT + e.bin[j];
    if (scratch[k] === 0 && e.cnt[j] !== 0) found[n++] = k;
    scratch[k] += e.cnt[j];
  }
  const cells = found.subarray(0, n).sort();
  const out: Entries = { min: new Int32Array(n), bin: new Int32Array(n), cnt: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const k = cells[i];
    out.min[i] = Math.floor(k / BIN_COUNT); out.bin[i] = k % BIN_COUNT; out.cnt[i] = scratch[k];
    scratch[k] = 0;
  }
  return out;
}

export function sameEntries(a: Entries, b: Entries): boolean {
  if (a.min.length !== b.min.length) return false;
  for (let j = 0; j < a.min.length; j++) if (a.min[j] !== b.min[j] || a.bin[j] !== b.bin[j] || a.cnt[j] !== b.cnt[j]) return false;
  return true;
}

/** tmp += the entries weighted by their minute's weight; returns the weighted count. */
export function addWeighted(e: Entries, w: Float64Array, tmp: Float64Array): number {
  const min = e.min, bin = e.bin, cnt = e.cnt;
  let c = 0;
  for (let j = 0; j < min.length; j++) {
    const v = w[min[j]] * cnt[j];
    tmp[bin[j]] += v;
    c += v;
  }
  return c;
}

/** addWeighted for canonical entries: a resample leaves about a third of the minutes out (weight 0). */
export function addWeightedByMinute(e: Entries, start: Int32Array, w: Float64Array, tmp: Float64Array): number {
  const bin = e.bin, cnt = e.cnt;
  let c = 0;
  for (let m = 0; m < w.length; m++) {
    const k = w[m];
    if (k === 0) continue;
    for (let j = start[m]; j < start[m + 1]; j++) {
      const v = k * cnt[j];
      tmp[bin[j]] += v;
      c += v;
    }
  }
  return c;
}

export function clearBins(e: Entries, tmp: Float64Array): void {
  const bin = e.bin;
  for (let j = 0; j < bin.length; j++) tmp[bin[j]] = 0;
}
