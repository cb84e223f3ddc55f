/**
 * The request_records COPY text ingest sends, written as bytes: copying a field's bytes from the
 * pump line costs less than making it a string, concatenating the line and encoding it again.
 */

const MIN_SIZE = 1024;

export class RecordBuffer {
  buf: Buffer;
  len = 0;

  constructor(size = MIN_SIZE) {
    this.buf = Buffer.allocUnsafe(Math.max(size, MIN_SIZE));
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  byte(c: number): void {
    this.ensure(1);
    this.buf[this.len++] = c;
  }

  /** A NULL field (`\N`). */
  nullField(): void {
    this.ensure(2);
    this.buf[this.len++] = 92;
    this.buf[this.len++] = 78;
  }

  /** `src[start, end)` as it is. */
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const buf = this.buf;
    let at = this.len;
    // A loop beats a native copy's call for the short fields most are.
    if (n < 48) for (let i = start; i < end; i++) buf[at++] = src[i];
    else buf.set(src.subarray(start, end), at);
    this.len += n;
  }

  /** `src[start, end)` with ASCII capitals lowered. */
  lowerBytes(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    const buf = this.buf;
    let at = this.len;
    for (let i = start; i < end; i++) {
      const c = src[i];
      buf[at++] = c >= 65 && c <= 90 ? c + 32 : c;
    }
    this.len = at;
  }

  /** A string, UTF-8. */
  text(s: string): void {
    this.ensure(s.length * 3);
    this.len += this.buf.write(s, this.len, "utf8");
  }

  /** A non-negative integer below 2^53, in decimal, at least `width` digits (zero-padded). */
  private digits(n: number, width: number): void {
    let count = 1;
    for (let p = 10; p <= n; p *= 10) count++;
    if (count < width) count = width;
    this.ensure(count);
    const buf = this.buf;
    let at = this.len + count;
    // No `%` on numbers past int32: V8 computes it with a call to fmod.
    for (let i = 0; i < count; i++) {
      const q = Math.floor(n / 10);
      buf[--at] = 48 + (n - q * 10);
      n = q;
    }
    this.len += count;
  }

  /** An integer (|n| < 2^53) in decimal, as String(n) writes it. */
  int(n: number): void {
    if (n < 0) {
      this.byte(45);
      n = -n;
    }
    this.digits(n, 1);
  }

  /**
   * The signed 64-bit integer `hi · 2^32 + lo` (unsigned 32-bit lanes, two's complement) in
   * decimal (source-id.ts's int64Decimal returns it as a string).
   */
  int64(hi: number, lo: number): void {
    if (hi >= 0x80000000) {
      this.byte(45);
      hi = ~hi >>> 0;
      lo = (~lo >>> 0) + 1;
      if (lo === 0x100000000) {
        lo = 0;
        hi += 1;
      }
    }
    // 2^32 = 4294 · 10^6 + 967296: every partial product stays below 2^53.
    const low = hi * 967_296 + lo;
    const lowE6 = Math.floor(low / 1_000_000);
    const rest = low - lowE6 * 1_000_000;
    const high = hi * 4294 + lowE6;
    if (high === 0) this.digits(rest, 1);
    else {
      this.digits(high, 1);
      this.digits(rest, 6);
    }
  }

  /** What was written. */
  written(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
