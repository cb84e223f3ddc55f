/**
 * A map keyed by a range of bytes, looked up without making a string of the range: ingest looks
 * up every row's key, API and listen path, and decoding each field to a string (then hashing the
 * string) cost more than everything else it does with the row. Open addressing over a table of
 * entry numbers; keys are copied into one growing arena.
 */

const EMPTY = -1;

/** Whether `a[aStart, aEnd)` and `b[bStart, bEnd)` hold the same bytes. */
export function sameBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** FNV-1a-style mix of the bytes, four at a time where possible. */
function hashRange(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 3 < end; i += 4) {
    h = Math.imul(h ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)), 0x01000193);
    h ^= h >>> 13;
  }
  for (; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

export class BytesMap<V> {
  // Pairs (entry, hash): a probe compares hashes without touching another array, since each
  // dependent memory access is likely a cache miss once thousands of keys are in.
  private slots = new Int32Array(128).fill(EMPTY);
  private mask = 63;
  private arena = Buffer.allocUnsafe(1024);
  private used = 0;
  /** Per entry: offset in the arena, length, then `ints` integers of the caller's. */
  private spans: Int32Array;
  private readonly stride: number;
  private readonly values: V[] = [];

  /** `ints`: integers kept beside each key (read with {@link int}): on the cache line the lookup loads anyway. */
  constructor(ints = 0) {
    this.stride = 2 + ints;
    this.spans = new Int32Array(32 * this.stride);
  }

  get size(): number {
    return this.values.length;
  }

  /** The value stored for `bytes[start, end)`, or undefined. */
  get(bytes: Uint8Array, start: number, end: number): V | undefined {
    const e = this.find(bytes, start, end, hashRange(bytes, start, end));
    return e === EMPTY ? undefined : this.values[e];
  }

  /** The entry number of `bytes[start, end)`, or -1. */
  entry(bytes: Uint8Array, start: number, end: number): number {
    return this.find(bytes, start, end, hashRange(bytes, start, end));
  }

  /** Integer `i` of entry `e`. */
  int(e: number, i: number): number {
    return this.spans[e * this.stride + 2 + i];
  }

  setInt(e: number, i: number, v: number): void {
    this.spans[e * this.stride + 2 + i] = v;
  }

  /** Stores `value` for `bytes[start, end)` (replacing what was there); returns its entry number. */
  set(bytes: Uint8Array, start: number, end: number, value: V): number {
    const hash = hashRange(bytes, start, end);
    const found = this.find(bytes, start, end, hash);
    if (found !== EMPTY) {
      this.values[found] = value;
      return found;
    }
    const len = end - start;
    if (this.used + len > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    this.arena.set(bytes.subarray(start, end), this.used);
    const entry = this.values.length;
    if ((entry + 1) * this.stride > this.spans.length) {
      const bigger = new Int32Array(this.spans.length * 2);
      bigger.set(this.spans);
      this.spans = bigger;
    }
    this.spans[entry * this.stride] = this.used;
    this.spans[entry * this.stride + 1] = len;
    this.values.push(value);
    this.used += len;
    // At most half full: probes stay short.
    if (this.values.length * 2 > this.mask + 1) this.grow();
    this.place(entry, hash);
    return entry;
  }

  private find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const len = end - start;
    for (let s = hash & this.mask; ; s = (s + 1) & this.mask) {
      const e = slots[2 * s];
      if (e === EMPTY) return EMPTY;
      const at = e * this.stride;
      if (slots[2 * s + 1] !== hash || this.spans[at + 1] !== len) continue;
      if (sameBytes(this.arena, this.spans[at], this.spans[at] + len, bytes, start, end)) return e;
    }
  }

  private place(entry: number, hash: number): void {
    let s = hash & this.mask;
    while (this.slots[2 * s] !== EMPTY) s = (s + 1) & this.mask;
    this.slots[2 * s] = entry;
    this.slots[2 * s + 1] = hash;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    this.mask = this.slots.length / 2 - 1;
    for (let s = 0; s < old.length; s += 2) if (old[s] !== EMPTY) this.place(old[s], old[s + 1]);
  }
}
