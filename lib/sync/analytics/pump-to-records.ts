/**
 * The per-row half of ingestion: COPY text of pump rows in (QUERY_COLUMNS of transform.ts, in
 * timestamp order), COPY text of request_records rows out, as a stream between the two COPYs.
 * Rows above the committed watermark are new by construction and pass straight through; rows at
 * or below it are held back for a checked insert (see ingest.ts).
 *
 * Each line is read one of two ways with the same result (a property test compares them): a plain
 * line — ASCII, no escapes, tags in the pump's form; nearly every line — from its bytes, with
 * lookups keyed by bytes and the record written as bytes (plain-line.ts, plain-lookups.ts,
 * record-buffer.ts); any other line through its text (copy-text.ts, transform.ts). Making strings
 * of every field, then a string of every record, was most of ingest's CPU time.
 */
import { Transform, type TransformCallback } from "node:stream";
import type { CallerDictionary } from "./callers";
import { parseCopyLine } from "./copy-text";
import type { KeyEntry, KeyTable } from "./key-table";
import type { EndpointMatcher } from "./match-endpoint";
import { HourAggregates, MinuteOfTimestamp } from "./hour-aggregates";
import { PlainTags, plainInt, scanPlainLine } from "./plain-line";
import { PlainLookups } from "./plain-lookups";
import { PumpKeys } from "./pump-keys";
import { UnmatchedPaths } from "./unmatched";
import { RecordBuffer } from "./record-buffer";
import { hashLanes, lanes, sourceIdOfBytes } from "./source-id";
import { HOLD, RecordSampler, type SamplingPlan } from "./sampler";
import { clampedInt, PARSED_COLUMNS, QUERY_COLUMNS, recordFromFields, recordFields, type StagedRecord } from "./transform";

// Another module's export is read through a getter call under tsx (which runs the sync) and the
// bundlers: the per-row code reads module-local copies.
const scanLine = scanPlainLine, readInt = plainInt, slowInt = clampedInt, hashLine = hashLanes, hashed = lanes, HELD = HOLD;

export interface RecordContext {
  matcher: EndpointMatcher;
  /** The keys Touchline knows, with their identities as of the run's start (and what ingest learns of others). */
  keys: KeyTable;
  /** Caller tuple → request_callers id; new callers are the batch's to insert. */
  callers: CallerDictionary;
  /** The same, by the bytes of plain lines: kept for the run (a batch meets the callers the last one did). */
  lookups: PlainLookups;
  /** Keys the Dashboard never listed, named from their records' alias. */
  pumpKeys: PumpKeys;
  /** Rows no endpoint template matched, counted per derived template. */
  unmatched: UnmatchedPaths;
}

/** The context of one ingest run. */
export function recordContext(
  matcher: EndpointMatcher, keys: KeyTable, callers: CallerDictionary, pumpKeys = new PumpKeys(new Map()), unmatched = new UnmatchedPaths(),
): RecordContext {
  return { matcher, keys, callers, pumpKeys, unmatched, lookups: new PlainLookups(matcher, keys, callers, pumpKeys) };
}

// Postgres prints a UTC timestamptz as "YYYY-MM-DD HH:MM:SS[.ffffff]+00"; its first 19 characters
// compare like the times they name.
const SECONDS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const NEWLINE = 10;
const TAB = 9;
const EMPTY = Buffer.alloc(0);
const OUT_CHUNK = 256 << 10;
/** Longer than any timestamp PostgreSQL prints ("YYYY-MM-DD HH:MM:SS.ffffff+00"). */
const MAX_TIMESTAMP = 64;
const SLASH = Buffer.from("/");

// Field positions in the pump query's output.
const F = Object.fromEntries(QUERY_COLUMNS.map((c, i) => [c, 2 * i])) as Record<(typeof QUERY_COLUMNS)[number], number>;

/** Whether `bytes[at, at + 19)` has the shape SECONDS matches. */
function secondsAt(bytes: Uint8Array, at: number, end: number): boolean {
  if (end - at < 19) return false;
  for (let i = 0; i < 19; i++) {
    const c = bytes[at + i];
    const sep = i === 4 || i === 7 ? 45 : i === 10 ? 32 : i === 13 || i === 16 ? 58 : -1;
    if (sep === -1 ? c < 48 || c > 57 : c !== sep) return false;
  }
  return true;
}

const outcome = { written: 0, paused: 1, notPlain: 2 } as const;

export class PumpToRecords extends Transform {
  rowsRead = 0;
  direct = 0;
  /** Lines at or below the committed watermark, to insert only where not already stored. */
  readonly held: string[] = [];
  private rest: Buffer = EMPTY;
  // Output not yet passed on: sent in pieces of at least OUT_CHUNK (fewer, larger socket writes).
  private out = new RecordBuffer(OUT_CHUNK * 2);
  // Identical rows share a timestamp and arrive in timestamp order: the ids of the current timestamp
  // suffice, and almost every timestamp has one row, so a set is made only for a second.
  // The last row's timestamp, where it lies in its input (kept, not copied: a row's copy cost more than the check).
  private seenBytes: Uint8Array = EMPTY;
  private seenStart = 0;
  private seenTsLen = -1;
  private seenHi = 0;
  private seenLo = 0;
  private seenMore: Set<string> | null = null;
  private readonly floor: string | null;
  // Rows without a key share one last-caller slot.
  private readonly keyless: KeyEntry = { keyHash: "", identityId: null, learnt: true, client: null, policies: [], callerId: 0, generation: -1 };
  private readonly bounds = new Int32Array(2 * PARSED_COLUMNS);
  private readonly tags = new PlainTags();

  /** The aggregates of the rows written straight through (held rows are added once their insert says which went in). */
  readonly aggregates = new HourAggregates();
  private readonly minuteOf = new MinuteOfTimestamp();

  /** Rows read through the plain path. */
  plainRows = 0;
  private readonly plainLines: boolean;

  /** Weights of the investigation's latency sample (sampler.ts). */
  readonly sampler: RecordSampler;

  /**
   * `plainLines: false` reads every line through its text (the reference the plain path is tested
   * against); `sampling`, `sampleSpan`: the sampler's stored hints and group span (sampler.ts).
   */
  constructor(
    private readonly b: RecordContext, committed: string | null, opts: { plainLines?: boolean; sampling?: SamplingPlan; sampleSpan?: number } = {},
  ) {
    // Deep buffers on both sides let the pump's server, this process and Touchline's server work
    // at once instead of in lock-step.
    super({ readableHighWaterMark: 4 << 20, writableHighWaterMark: 4 << 20 });
    this.plainLines = opts.plainLines ?? true;
    this.sampler = new RecordSampler(opts.sampling ?? new Map(), opts.sampleSpan);
    this.floor = committed && SECONDS.test(committed) ? committed : committed ? "9999" : null;
  }

  /**
   * Whether the row with timestamp `bytes[start, end)` is above the committed watermark, to the
   * microsecond: the next batch starts just past the watermark, so its rows all pass straight
   * through (checking a whole second of them cost a scan of the unindexed loading table per
   * batch). A row at the watermark, or with an unexpected format, is checked.
   */
  private isNewAt(bytes: Uint8Array, start: number, end: number): boolean {
    const floor = this.floor;
    if (floor === null) return true;
    if (!secondsAt(bytes, start, end)) return false;
    const n = Math.min(19, floor.length);
    for (let i = 0; i < n; i++) {
      const d = bytes[start + i] - floor.charCodeAt(i);
      if (d !== 0) return d > 0;
    }
    if (floor.length < 19) return true;
    // The same second: compare the fractions digit by digit, a missing digit as 0.
    let r = end - start > 19 && bytes[start + 19] === 46 ? start + 20 : end; // "."
    let f = floor.length > 19 && floor.charCodeAt(19) === 46 ? 20 : floor.length;
    for (let i = 0; i < 6; i++) {
      const rd = r < end ? digit(bytes[r]) : -1;
      const fd = f < floor.length ? digit(floor.charCodeAt(f)) : -1;
      if (rd < 0) r = end;
      else r++;
      if (fd < 0) f = floor.length;
      else f++;
      const d = Math.max(rd, 0) - Math.max(fd, 0);
      if (d !== 0) return d > 0;
    }
    return false;
  }

  /**
   * Converts the whole lines in `bytes[0, end)` (`end` just past a newline, or the end of input).
   * Pauses only to reserve caller ids when a new caller finds the reserved block empty.
   */
  private async convert(bytes: Buffer, start: number, end: number): Promise<void> {
    const at = { pos: start };
    while (!this.convertFrom(bytes, end, at)) await this.b.callers.refill();
  }

  /** The output written so far, once there is enough of it (or `all`); the stream keeps the buffer. */
  private output(all: boolean): Buffer | undefined {
    if (this.out.len === 0 || (!all && this.out.len < OUT_CHUNK)) return undefined;
    const out = this.out.written();
    this.out = new RecordBuffer(OUT_CHUNK * 2);
    return out;
  }

  /** Converts lines from `at.pos` on; false (with `at.pos` at the line to redo) when caller ids ran out. */
  private convertFrom(bytes: Buffer, end: number, at: { pos: number }): boolean {
    for (let pos = at.pos; pos < end; ) {
      let nl = bytes.indexOf(NEWLINE, pos);
      if (nl === -1 || nl > end) nl = end;
      let done = this.plainLines && scanLine(bytes, pos, nl, this.bounds) ? this.plainRow(bytes, nl) : outcome.notPlain;
      if (done === outcome.notPlain) done = this.textRow(bytes, pos, nl);
      else if (done === outcome.written) this.plainRows++;
      if (done === outcome.paused) {
        at.pos = pos;
        return false;
      }
      this.rowsRead++;
      pos = nl + 1;
    }
    return true;
  }

  /** A plain line (plain-line.ts) ending at `end`, read from its bytes; `bounds` holds its fields. */
  private plainRow(bytes: Buffer, end: number): number {
    const f = this.bounds;
    const tags = this.tags;
    const tsStart = f[F.timestamp];
    const tsEnd = f[F.timestamp + 1];
    const apiStart = f[F.apiid];
    const apiEnd = f[F.apiid + 1];
    if (!tags.scan(bytes, f[F.tags], f[F.tags + 1])) return outcome.notPlain;
    if (tsStart === tsEnd || apiStart === apiEnd) return outcome.written;
    hashLine(bytes, f[F.apikey + 1] + 1, end);
    const hi = hashed.hi;
    const lo = hashed.lo;
    const keyed = f[F.apikey] < f[F.apikey + 1];
    const callerId = this.b.lookups.caller(
      bytes, keyed ? f[F.apikey] : tags.keyStart, keyed ? f[F.apikey + 1] : tags.keyEnd, f[F.oauthid], f[F.oauthid + 1], tags, end,
    );
    if (callerId === null) return outcome.paused;
    if (this.repeated(bytes, tsStart, tsEnd, hi, lo)) return outcome.written;

    const route = this.b.lookups.route(bytes, apiStart, apiEnd, f[F.method], f[F.method + 1]);
    let pathStart = f[F.path];
    let pathEnd = f[F.path + 1];
    if (pathStart === pathEnd) {
      pathStart = f[F.rawpath];
      pathEnd = f[F.rawpath + 1];
    }
    // No closures here: this runs per row, and tsx wraps every function it creates in a naming call.
    const lpStart = f[F.listenpath];
    const lpEnd = f[F.listenpath + 1];
    let endpointId: string | null = null;
    let path: string | null = null;
    if (route.match) endpointId = route.match((path = pathText(bytes, pathStart, pathEnd)), this.b.lookups.listenPath(bytes, lpStart, lpEnd));
    const status = readInt(bytes, f[F.responsecode], f[F.responsecode + 1], slowInt) ?? 0;
    const latency = readInt(bytes, f[F.requesttime], f[F.requesttime + 1], slowInt)
      ?? readInt(bytes, f[F.latency_total], f[F.latency_total + 1], slowInt) ?? 0;
    const upstream = readInt(bytes, f[F.latency_upstream], f[F.latency_upstream + 1], slowInt);
    const isNew = this.isNewAt(bytes, tsStart, tsEnd);
    const minute = isNew ? this.minuteOf.of(bytes, tsStart, tsEnd) : 0;
    // Weighed before the row is written: completing groups writes their held rows first.
    const weight = isNew ? this.sampler.weigh(endpointId, minute, callerId, status, upstream, latency, this.emitHeld) : 1;

    const out = this.out;
    const rowStart = out.len;
    out.int64(hi, lo);
    out.byte(TAB);
    out.bytes(bytes, tsStart, tsEnd);
    out.byte(TAB);
    if (endpointId === null) out.nullField();
    else {
      const ep = this.b.lookups.endpoint(endpointId);
      out.bytes(ep, 0, ep.length);
    }
    out.byte(TAB);
    out.bytes(bytes, apiStart, apiEnd);
    out.byte(TAB);
    out.bytes(route.method, 0, route.method.length);
    out.byte(TAB);
    if (pathStart === pathEnd) out.bytes(SLASH, 0, 1);
    else {
      let q = pathStart;
      while (q < pathEnd && bytes[q] !== 63) q++; // "?"
      out.bytes(bytes, pathStart, q);
    }
    out.byte(TAB);
    out.int(status);
    out.byte(TAB);
    out.int(latency);
    out.byte(TAB);
    if (upstream === null) out.nullField();
    else out.int(upstream);
    out.byte(TAB);
    out.int(callerId);
    out.byte(TAB);
    if (tags.traceStart === -1) out.nullField();
    else out.lowerBytes(bytes, tags.traceStart, tags.traceEnd);
    if (weight === HELD) {
      this.sampler.hold(Buffer.from(out.buf.subarray(rowStart, out.len)));
      out.len = rowStart;
    } else {
      out.byte(TAB);
      out.int(weight);
      out.byte(NEWLINE);
    }
    if (isNew) {
      this.direct++;
      this.aggregates.add(endpointId, minute, latency, status, upstream, callerId);
      // Counted once: rows re-read below the watermark are not (they were when first read).
      if (endpointId === null) {
        this.b.unmatched.add(route.apiId, route.methodText, path ?? pathText(bytes, pathStart, pathEnd), this.b.lookups.listenPath(bytes, lpStart, lpEnd));
      }
    } else {
      this.held.push(out.buf.toString("utf8", rowStart, out.len));
      out.len = rowStart;
    }
    return outcome.written;
  }

  /** Any line, through its text (copy-text.ts and transform.ts). */
  private textRow(bytes: Buffer, start: number, end: number): number {
    const line = bytes.toString("utf8", start, end);
    const sourceId = sourceIdOfBytes(bytes, start, end);
    const hi = lanes.hi;
    const lo = lanes.lo;
    const rec = recordFromFields(parseCopyLine(line, PARSED_COLUMNS), sourceId, this.b.matcher, this.b.keys);
    if (!rec) return outcome.written;
    // The alias is the line's last field (QUERY_COLUMNS), read only for a key met for the first time.
    if (rec.key && !rec.key.learnt) this.b.pumpKeys.learn(rec.key, parseCopyLine(line).at(-1) ?? null, rec.policyIds);
    const callerId = this.callerOf(rec);
    if (callerId === null) return outcome.paused;
    const ts = Buffer.from(rec.ts, "utf8");
    if (this.repeated(ts, 0, ts.length, hi, lo)) return outcome.written;
    const fields = recordFields(rec, callerId, !line.includes("\\"));
    if (this.isNewAt(ts, 0, ts.length)) {
      const minute = this.minuteOf.of(ts, 0, ts.length);
      const weight = this.sampler.weigh(rec.endpointId, minute, callerId, rec.status, rec.upstreamMs, rec.latencyMs, this.emitHeld);
      if (weight === HOLD) this.sampler.hold(Buffer.from(fields, "utf8"));
      else this.out.text(fields + "\t" + weight + "\n");
      this.direct++;
      this.aggregates.add(rec.endpointId, minute, rec.latencyMs, rec.status, rec.upstreamMs, callerId);
      if (rec.endpointId === null) this.b.unmatched.add(rec.apiId, rec.method, rec.path, rec.listenPath);
    } else this.held.push(fields + "\t1\n");
    return outcome.written;
  }

  /** Writes a sampled group's first row with the group's weight. */
  private readonly emitHeld = (line: Buffer, weight: number): void => {
    const out = this.out;
    out.bytes(line, 0, line.length);
    out.byte(TAB);
    out.int(weight);
    out.byte(NEWLINE);
  };

  /**
   * The row's caller id (identity from its key, policies sorted), or null when ids must be reserved
   * first. A key's rows almost always name the same client and policies: the key's last caller is
   * reused while the dictionary has not dropped ids since (its generation).
   */
  private callerOf(rec: StagedRecord): number | null {
    const k = rec.key ?? this.keyless;
    const p = rec.policyIds;
    if (k.generation === this.b.callers.generation && k.client === rec.oauthClientId && samePolicies(k.policies, p)) return k.callerId;
    return this.resolveCaller(k, rec.keyHash, rec.oauthClientId, p);
  }

  /** Resolves the caller through the dictionary and makes it `k`'s last; null when ids must be reserved first. */
  private resolveCaller(k: KeyEntry, keyHash: string | null, client: string | null, policies: string[]): number | null {
    const callers = this.b.callers;
    // idForRow sorts its list in place; the key remembers the row's order.
    const id = callers.idForRow(keyHash, k.identityId, client, policies.length > 1 ? [...policies] : policies);
    if (id === null) return null;
    k.generation = callers.generation;
    k.client = client;
    k.policies = policies;
    k.callerId = id;
    return id;
  }

  /** The timestamp of the last row read (Postgres text), or null before the first. */
  lastTimestamp(): string | null {
    return this.seenTsLen > 0 ? Buffer.from(this.seenBytes.buffer, this.seenBytes.byteOffset + this.seenStart, this.seenTsLen).toString("latin1") : null;
  }

  /** Whether this row (timestamp `bytes[start, end)`, source id lanes hi/lo) was already seen; records it if not. */
  private repeated(bytes: Uint8Array, start: number, end: number, hi: number, lo: number): boolean {
    const seen = this.seenBytes;
    const at = this.seenStart;
    let same = end - start === this.seenTsLen;
    // From the end: consecutive timestamps differ in their last digits.
    for (let i = this.seenTsLen - 1; same && i >= 0; i--) same = seen[at + i] === bytes[start + i];
    if (!same) {
      // A timestamp longer than any PostgreSQL prints is never "the same" as the next: rows are then
      // not collapsed, and the primary key rejects the batch instead of dropping a row.
      this.seenBytes = bytes;
      this.seenStart = start;
      this.seenTsLen = end - start <= MAX_TIMESTAMP ? end - start : -1;
      this.seenHi = hi;
      this.seenLo = lo;
      this.seenMore = null;
      return false;
    }
    if (hi === this.seenHi && lo === this.seenLo) return true;
    const id = hi + ":" + lo;
    if (this.seenMore?.has(id)) return true;
    (this.seenMore ??= new Set()).add(id);
    return false;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const end = chunk.lastIndexOf(NEWLINE) + 1;
    // Only the line split across chunks is joined: copying every chunk behind it cost ~0.2 µs a row.
    let joined: Buffer | null = null;
    let from = 0;
    if (this.rest.length) {
      if (end === 0) {
        this.rest = Buffer.concat([this.rest, chunk]);
        done();
        return;
      }
      from = chunk.indexOf(NEWLINE) + 1;
      joined = Buffer.concat([this.rest, chunk.subarray(0, from)]);
    }
    this.rest = end < chunk.length ? Buffer.from(chunk.subarray(end)) : EMPTY;
    (joined ? this.convert(joined, 0, joined.length) : Promise.resolve())
      .then(() => this.convert(chunk, from, end))
      .then(() => done(null, this.output(false)), (err: unknown) => done(err as Error));
  }

  override _flush(done: TransformCallback): void {
    const rest = this.rest;
    this.rest = EMPTY;
    this.convert(rest, 0, rest.length).then(() => {
      this.sampler.flush(this.emitHeld);
      done(null, this.output(true));
    }, (err: unknown) => done(err as Error));
  }
}

/** A plain line's request path `bytes[start, end)`; "/" when empty. */
function pathText(bytes: Buffer, start: number, end: number): string {
  return start === end ? "/" : bytes.toString("latin1", start, end);
}

/** The value of an ASCII digit, or -1. */
function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

function samePolicies(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
