/**
 * The per-row half of ingestion: COPY text of pump rows in (QUERY_COLUMNS of transform.ts, in
 * timestamp order), COPY text of request_records rows out, as a stream between the two COPYs.
 * Rows above the committed watermark are new by construction and pass straight through; rows at
 * or below it are held back for a checked insert (see ingest.ts).
 */
import { Transform, type TransformCallback } from "node:stream";
import { parseCopyLine } from "./copy-text";
import type { EndpointMatcher } from "./match-endpoint";
import { sourceIdOfBytes } from "./source-id";
import { PARSED_COLUMNS, recordFromFields, toRecordLine } from "./transform";

export interface RecordContext {
  matcher: EndpointMatcher;
  knownHashes: ReadonlySet<string>;
  /** key hash → identity id, as of the run's start. */
  identities: ReadonlyMap<string, string>;
}

// Postgres prints a UTC timestamptz as "YYYY-MM-DD HH:MM:SS[.ffffff]+00"; its first 19 characters
// compare like the times they name.
const SECONDS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);

export class PumpToRecords extends Transform {
  rowsRead = 0;
  direct = 0;
  /** Lines at or below the committed watermark, to insert only where not already stored. */
  readonly held: string[] = [];
  private rest: Buffer = EMPTY;
  // Identical rows share a timestamp and arrive in timestamp order: the ids of the current timestamp
  // suffice, and almost every timestamp has one row, so a set is made only for a second.
  private seenTs = "";
  private seenFirst = "";
  private seenMore: Set<string> | null = null;
  private readonly floor: string | null;

  constructor(private readonly b: RecordContext, committed: string | null) {
    // Deep buffers on both sides let the pump's server, this process and Touchline's server work
    // at once instead of in lock-step.
    super({ readableHighWaterMark: 4 << 20, writableHighWaterMark: 4 << 20 });
    this.floor = committed && SECONDS.test(committed) ? committed.slice(0, 19) : committed ? "9999" : null;
  }

  // Conservative: a row in the watermark's own second (or with an unexpected format) is checked.
  private isNew(ts: string): boolean {
    return this.floor === null || (SECONDS.test(ts) && ts.slice(0, 19) > this.floor);
  }

  /** Converts the whole lines in `bytes[0, end)` (`end` just past a newline, or the end of input). */
  private convert(bytes: Buffer, end: number): string {
    if (end === 0) return "";
    // Decode once, and hash each line's bytes in step: a newline byte never occurs inside a UTF-8
    // sequence, so the text lines and the byte lines are the same lines.
    const text = bytes.toString("utf8", 0, bytes[end - 1] === NEWLINE ? end - 1 : end);
    const lines = text.split("\n");
    const out: string[] = [];
    let pos = 0;
    for (const line of lines) {
      let nl = bytes.indexOf(NEWLINE, pos);
      if (nl === -1 || nl > end) nl = end;
      const sourceId = sourceIdOfBytes(bytes, pos, nl);
      pos = nl + 1;
      this.rowsRead++;
      const rec = recordFromFields(parseCopyLine(line, PARSED_COLUMNS), sourceId, this.b.matcher, this.b.knownHashes);
      if (!rec) continue;
      if (this.repeated(rec.ts, sourceId)) continue;
      const recordLine = toRecordLine(rec, (rec.keyHash && this.b.identities.get(rec.keyHash)) || null, !line.includes("\\"));
      if (this.isNew(rec.ts)) {
        out.push(recordLine);
        this.direct++;
      } else this.held.push(recordLine);
    }
    return out.join("");
  }

  /** Whether this row (by source id) was already seen at this timestamp; records it if not. */
  private repeated(ts: string, sourceId: string): boolean {
    if (ts !== this.seenTs) {
      this.seenTs = ts;
      this.seenFirst = sourceId;
      this.seenMore = null;
      return false;
    }
    if (sourceId === this.seenFirst || this.seenMore?.has(sourceId)) return true;
    (this.seenMore ??= new Set()).add(sourceId);
    return false;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      const bytes = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
      const end = bytes.lastIndexOf(NEWLINE) + 1;
      this.rest = end < bytes.length ? Buffer.from(bytes.subarray(end)) : EMPTY;
      const out = this.convert(bytes, end);
      done(null, out || undefined);
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      const out = this.convert(this.rest, this.rest.length);
      this.rest = EMPTY;
      done(null, out || undefined);
    } catch (err) {
      done(err as Error);
    }
  }
}
