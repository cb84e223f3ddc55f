/**
 * The per-row half of ingestion: COPY text of pump rows in (QUERY_COLUMNS of transform.ts, in
 * timestamp order), COPY text of request_records rows out, as a stream between the two COPYs.
 * Rows above the committed watermark are new by construction and pass straight through; rows at
 * or below it are held back for a checked insert (see ingest.ts).
 */
import { Transform, type TransformCallback } from "node:stream";
import type { CallerDictionary } from "./callers";
import { parseCopyLine } from "./copy-text";
import type { EndpointMatcher } from "./match-endpoint";
import { sourceIdOfBytes } from "./source-id";
import type { KeyEntry, KeyTable } from "./key-table";
import { PARSED_COLUMNS, recordFromFields, toRecordLine, type StagedRecord } from "./transform";

export interface RecordContext {
  matcher: EndpointMatcher;
  /** The keys Touchline knows, with their identities as of the run's start (and what ingest learns of others). */
  keys: KeyTable;
  /** Caller tuple → request_callers id; new callers are the batch's to insert. */
  callers: CallerDictionary;
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
  // Rows without a key share one last-caller slot.
  private readonly keyless: KeyEntry = { keyHash: "", identityId: null, client: null, policyKey: "", callerId: 0, generation: -1 };

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

  /**
   * Converts the whole lines in `bytes[0, end)` (`end` just past a newline, or the end of input).
   * Pauses only to reserve caller ids when a new caller finds the reserved block empty.
   */
  private async convert(bytes: Buffer, end: number): Promise<string> {
    if (end === 0) return "";
    // Decode once, and hash each line's bytes in step: a newline byte never occurs inside a UTF-8
    // sequence, so the text lines and the byte lines are the same lines.
    const text = bytes.toString("utf8", 0, bytes[end - 1] === NEWLINE ? end - 1 : end);
    const lines = text.split("\n");
    const out: string[] = [];
    const at = { line: 0, pos: 0 };
    while (!this.convertFrom(lines, bytes, end, at, out)) await this.b.callers.refill();
    return out.join("");
  }

  /** Converts lines from `at` on; false (with `at` at the line to redo) when caller ids ran out. */
  private convertFrom(lines: string[], bytes: Buffer, end: number, at: { line: number; pos: number }, out: string[]): boolean {
    let pos = at.pos;
    for (let i = at.line; i < lines.length; i++) {
      const line = lines[i];
      let nl = bytes.indexOf(NEWLINE, pos);
      if (nl === -1 || nl > end) nl = end;
      const sourceId = sourceIdOfBytes(bytes, pos, nl);
      const rec = recordFromFields(parseCopyLine(line, PARSED_COLUMNS), sourceId, this.b.matcher, this.b.keys);
      if (rec) {
        const callerId = this.callerOf(rec);
        if (callerId === null) {
          at.line = i;
          at.pos = pos;
          return false;
        }
        if (!this.repeated(rec.ts, sourceId)) {
          const recordLine = toRecordLine(rec, callerId, !line.includes("\\"));
          if (this.isNew(rec.ts)) {
            out.push(recordLine);
            this.direct++;
          } else this.held.push(recordLine);
        }
      }
      pos = nl + 1;
      this.rowsRead++;
    }
    return true;
  }

  /**
   * The row's caller id (identity from its key, policies sorted), or null when ids must be reserved
   * first. A key's rows almost always name the same client and policies: the key's last caller is
   * reused while the dictionary has not dropped ids since (its generation).
   */
  private callerOf(rec: StagedRecord): number | null {
    const k = rec.key ?? this.keyless;
    const callers = this.b.callers;
    const p = rec.policyIds;
    const policyKey = p.length === 0 ? "" : p.length === 1 ? p[0] : [...p].sort().join("\u001f");
    if (k.generation === callers.generation && k.client === rec.oauthClientId && k.policyKey === policyKey) return k.callerId;
    const id = callers.idForRow(rec.keyHash, k.identityId, rec.oauthClientId, p);
    if (id === null) return null;
    k.generation = callers.generation;
    k.client = rec.oauthClientId;
    k.policyKey = policyKey;
    k.callerId = id;
    return id;
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
    const bytes = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    this.rest = end < bytes.length ? Buffer.from(bytes.subarray(end)) : EMPTY;
    this.convert(bytes, end).then((out) => done(null, out || undefined), (err: unknown) => done(err as Error));
  }

  override _flush(done: TransformCallback): void {
    const rest = this.rest;
    this.rest = EMPTY;
    this.convert(rest, rest.length).then((out) => done(null, out || undefined), (err: unknown) => done(err as Error));
  }
}
