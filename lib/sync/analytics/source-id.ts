/**
 * The stable id of a pump row. tyk_analytics has no id column (the record's id is `gorm:"-:all"`),
 * so the id is a 64-bit hash of the row as the pump query prints it (COPY text, UTF-8), minus the
 * raw key, which the query puts first so it can be left out. The id only has to tell apart rows
 * with the same timestamp (it is unique together with `ts`), so a fast non-cryptographic hash is
 * enough; ingest runs it over the bytes it received, before decoding them. Stored as a signed
 * int8 (request_records.source_id), the two lanes' bits high lane first.
 */
import { RecordBuffer } from "./record-buffer";

/**
 * The two unsigned 32-bit lanes of the last hash (`hi` is the high lane of the int8): returned
 * through shared state, not an allocated pair, because ingest hashes every row.
 */
export const lanes = { hi: 0, lo: 0 };

/**
 * Two 32-bit lanes of a multiply-xorshift hash (cyrb53's mixing) over `bytes[start, end)`, fed four
 * bytes at a time (a quarter of the multiplications of a byte-wise loop). Leaves them in `lanes`.
 */
export function hashLanes(bytes: Uint8Array, start: number, end: number): void {
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
  lanes.lo = h1 >>> 0;
  lanes.hi = h2 >>> 0;
}

/** The hash as 16 hex digits (high lane first): the text form source ids had before they became int8. */
export function hash64(bytes: Uint8Array, start = 0, end = bytes.length): string {
  hashLanes(bytes, start, end);
  return lanes.hi.toString(16).padStart(8, "0") + lanes.lo.toString(16).padStart(8, "0");
}

// Source ids of lines read through their text are formatted by the same writer as the plain path's.
const decimal = new RecordBuffer();

/**
 * The signed 64-bit integer `hi · 2^32 + lo` (hi, lo unsigned 32-bit lanes, two's complement) in
 * decimal, without BigInt (RecordBuffer.int64). Equals
 * `BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString()`, i.e. PostgreSQL's
 * `('x' || hex)::bit(64)::int8` of the hex form.
 */
export function int64Decimal(hi: number, lo: number): string {
  decimal.len = 0;
  decimal.int64(hi, lo);
  return decimal.buf.toString("latin1", 0, decimal.len);
}

const TAB = 9;

/**
 * The source id of the COPY line `bytes[start, end)` (no newline), whose first field is the raw
 * key: the hash as a signed int8, in decimal (how request_records.source_id takes it in COPY text).
 */
export function sourceIdOfBytes(bytes: Buffer, start: number, end: number): string {
  const firstTab = bytes.indexOf(TAB, start);
  hashLanes(bytes, firstTab === -1 || firstTab >= end ? start : firstTab + 1, end);
  return int64Decimal(lanes.hi, lanes.lo);
}

/** {@link sourceIdOfBytes} of one line given as text. */
export function sourceIdOfLine(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  return sourceIdOfBytes(bytes, 0, bytes.length);
}
