/**
 * The stable id of a pump row. tyk_analytics has no id column (the record's id is `gorm:"-:all"`),
 * so the id is a 64-bit hash of the row as the pump query prints it (COPY text, UTF-8), minus the
 * raw key, which the query puts first so it can be left out. The id only has to tell apart rows
 * with the same timestamp (it is unique together with `ts`), so a fast non-cryptographic hash is
 * enough; ingest runs it over the bytes it received, before decoding them.
 */

/**
 * Two 32-bit lanes of a multiply-xorshift hash (cyrb53's mixing) over `bytes[start, end)`, fed four
 * bytes at a time (a quarter of the multiplications of a byte-wise loop).
 */
export function hash64(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let h1 = 0xdeadbeef ^ (end - start);
  let h2 = 0x41c6ce57;
  let i = start;
  for (; i + 3 < end; i += 4) {
    const w = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
    h1 ^= h1 >>> 15;
    h2 ^= h2 >>> 15;
  }
  for (; i < end; i++) {
    h1 = Math.imul(h1 ^ bytes[i], 2654435761);
    h2 = Math.imul(h2 ^ bytes[i], 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

const TAB = 9;

/** The source id of the COPY line `bytes[start, end)` (no newline), whose first field is the raw key. */
export function sourceIdOfBytes(bytes: Buffer, start: number, end: number): string {
  const firstTab = bytes.indexOf(TAB, start);
  return hash64(bytes, firstTab === -1 || firstTab >= end ? start : firstTab + 1, end);
}

/** {@link sourceIdOfBytes} of one line given as text. */
export function sourceIdOfLine(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  return sourceIdOfBytes(bytes, 0, bytes.length);
}
