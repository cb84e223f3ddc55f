/**
 * Analytics ingestion: Tyk Pump's SQL table (`tyk_analytics`) → Touchline's `request_records`.
 *
 * Batches follow the pump's `timestamp` (its table has no id column); a batch always ends on a
 * whole timestamp, so the watermark — the last timestamp ingested, kept in sync_state "analytics"
 * in the same transaction as the rows — never splits a group. Each batch streams through COPY out
 * of the pump and COPY straight into request_records (identity resolved from the keys in memory):
 * no row-by-row inserts. Re-reading is harmless (rows at or below the watermark are deduped on
 * (ts, source_id)), so each run starts a little before the watermark to pick up rows a pump wrote late.
 */
import { pipeline } from "node:stream/promises";
import { Readable, Transform, type TransformCallback } from "node:stream";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { compileEndpoints, type EndpointMatcher } from "./match-endpoint";
import { LineSplitter, parseCopyLine } from "./copy-text";
import { PUMP_COLUMNS, RECORD_COLUMNS, toRecordLine, toRequestRecord, type PumpRow } from "./transform";

export const ANALYTICS_SYNC_STATE = "analytics";

export interface IngestProgress {
  batches: number;
  /** Rows read from the pump table so far. */
  read: number;
  /** New request_records inserted so far. */
  rows: number;
  watermark: string | null;
}

export interface IngestOptions {
  /** Touchline's database (endpoints and keys are read through it). */
  db: PrismaClient;
  /** The pump database (TYK_ANALYTICS_DATABASE_URL); opened read-only. */
  sourceUrl: string;
  /** URL of the same database as `db`, for COPY (Prisma exposes none). Default: DATABASE_URL. */
  databaseUrl?: string;
  /** Pump table; `tyk_analytics` unless the pump shards by day. */
  table?: string;
  /** Source rows per batch (a batch is extended to finish its last timestamp). Default 50,000. */
  batchSize?: number;
  /** How far before the watermark a run starts reading again, for late pump writes. Default 2 min. */
  lookbackMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void | Promise<void>;
}

export interface IngestResult {
  rows: number;
  read: number;
  batches: number;
  /** Last pump timestamp ingested (Postgres text, UTC), or null when nothing was ever ingested. */
  watermark: string | null;
}

// Keep pump timestamps as Postgres prints them: JS Dates would drop the microseconds that
// watermarks and source ids depend on.
const rawTimestamps = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 1184 || oid === 1114) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

async function assertSameDatabase(db: PrismaClient, client: pg.Client): Promise<void> {
  const q = "SELECT current_database() AS name, inet_server_port() AS port, pg_postmaster_start_time()::text AS started";
  const [a] = await db.$queryRawUnsafe<{ name: string; port: number; started: string }[]>(q);
  const { rows: [b] } = await client.query<{ name: string; port: number; started: string }>(q);
  if (a.name !== b.name || a.port !== b.port || a.started !== b.started) {
    throw new Error("ingestAnalytics: databaseUrl and db point at different databases");
  }
}

async function sourceColumns(source: pg.Client, table: string): Promise<string[]> {
  const { rows } = await source.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
    [table],
  );
  if (rows.length === 0) throw new Error(`pump table ${table} not found in the analytics database`);
  const present = new Set(rows.map((r) => r.column_name));
  for (const required of ["timestamp", "apiid"]) {
    if (!present.has(required)) throw new Error(`pump table ${table} has no ${required} column`);
  }
  // Columns an older pump lacks are read as NULL so one query fits every version.
  return PUMP_COLUMNS.map((c) => (present.has(c) ? source.escapeIdentifier(c) : `NULL AS ${source.escapeIdentifier(c)}`));
}

async function readWatermark(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ ts: string | null }>("SELECT value->>'ts' AS ts FROM sync_state WHERE name = $1", [
    ANALYTICS_SYNC_STATE,
  ]);
  return rows[0]?.ts ?? null;
}

// Serialises batches of concurrent runs: the dedupe below reads the committed watermark, so two
// runs must not both write rows above it.
const INGEST_LOCK = 0x746c_6169;

interface BatchSpec {
  columns: string[];
  tableSql: string;
  /** Exclusive lower and inclusive upper pump timestamp of the batch (Postgres text, UTC). */
  cursor: string;
  hi: string;
  matcher: EndpointMatcher;
  knownHashes: ReadonlySet<string>;
  identities: ReadonlyMap<string, string>;
}

/**
 * One batch, streamed: COPY … TO STDOUT from the pump table → transform row by row → COPY straight
 * into request_records. Source backend, this process and target backend run concurrently, which
 * is what lets ingestion keep pace with a plain COPY.
 *
 * Dedupe without a unique index on source_id (maintaining one over random hashes was the biggest
 * single cost of ingestion): every committed row is at or below the committed watermark, so rows
 * above it are new and go straight in; rows at or below it (the look-back re-read, late pump
 * writes) are few, and are held back and inserted only where (ts, source_id) is not stored yet.
 * Identical rows within a batch collapse in the transform (same timestamp → same batch).
 */
async function writeBatch(target: pg.Client, source: pg.Client, b: BatchSpec, signal?: AbortSignal): Promise<{ read: number; inserted: number }> {
  await target.query("BEGIN");
  try {
    await target.query("SET LOCAL TIME ZONE 'UTC'");
    await target.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK]);
    const committed = await readWatermark(target);
    const select = `SELECT ${b.columns.join(", ")} FROM ${b.tableSql}
      WHERE "timestamp" > ${source.escapeLiteral(b.cursor)}::timestamptz AND "timestamp" <= ${source.escapeLiteral(b.hi)}::timestamptz`;
    const transform = new PumpToRecords(b, committed);
    await pipeline(
      source.query(copyTo(`COPY (${select}) TO STDOUT`)),
      transform,
      target.query(copyFrom(`COPY request_records (${RECORD_COLUMNS.join(", ")}) FROM STDIN`)),
    );
    let inserted = transform.direct;
    if (transform.held.length) {
      await target.query(`CREATE TEMP TABLE tl_analytics_held (LIKE request_records INCLUDING DEFAULTS) ON COMMIT DROP`);
      await pipeline(Readable.from([transform.held.join("")]), target.query(copyFrom(`COPY tl_analytics_held (${RECORD_COLUMNS.join(", ")}) FROM STDIN`)));
      const cols = RECORD_COLUMNS.join(", ");
      const res = await target.query(`INSERT INTO request_records (${cols}) SELECT ${cols} FROM tl_analytics_held h
        WHERE NOT EXISTS (SELECT 1 FROM request_records r WHERE r.ts = h.ts AND r.source_id = h.source_id)`);
      inserted += res.rowCount ?? 0;
    }
    // The look-back re-reads rows below the watermark; it must never move backwards.
    const next = committed && (await isBefore(target, b.hi, committed)) ? committed : b.hi;
    await target.query(
      `INSERT INTO sync_state (name, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [ANALYTICS_SYNC_STATE, JSON.stringify({ ts: next })],
    );
    // Abort before COMMIT leaves the batch (rows and watermark) unwritten, as a crash would.
    signal?.throwIfAborted();
    await target.query("COMMIT");
    return { read: transform.rowsRead, inserted };
  } catch (err) {
    await target.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

// Postgres prints a UTC timestamptz as "YYYY-MM-DD HH:MM:SS[.ffffff]+00"; its first 19 characters
// compare like the times they name.
const SECONDS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

/** COPY text of pump rows (PUMP_COLUMNS order) in, COPY text of request_records rows out. */
class PumpToRecords extends Transform {
  rowsRead = 0;
  direct = 0;
  /** Lines at or below the committed watermark, to insert only where not already stored. */
  readonly held: string[] = [];
  private readonly lines = new LineSplitter();
  private readonly seen = new Set<string>();
  private readonly floor: string | null;

  constructor(private readonly b: BatchSpec, committed: string | null) {
    super({ decodeStrings: false });
    this.setDefaultEncoding("utf8");
    this.floor = committed && SECONDS.test(committed) ? committed.slice(0, 19) : committed ? "9999" : null;
  }

  // Conservative: a row in the watermark's own second (or with an unexpected format) is checked.
  private isNew(ts: string): boolean {
    return this.floor === null || (SECONDS.test(ts) && ts.slice(0, 19) > this.floor);
  }

  private convert(lines: string[]): string {
    let out = "";
    for (const line of lines) {
      this.rowsRead++;
      const fields = parseCopyLine(line);
      const row: PumpRow = {};
      for (let i = 0; i < PUMP_COLUMNS.length; i++) row[PUMP_COLUMNS[i]] = fields[i] ?? null;
      const rec = toRequestRecord(row, this.b.matcher, this.b.knownHashes);
      if (!rec || this.seen.has(rec.sourceId)) continue;
      this.seen.add(rec.sourceId);
      const text = toRecordLine(rec, (rec.keyHash && this.b.identities.get(rec.keyHash)) || null);
      if (this.isNew(rec.ts)) {
        out += text;
        this.direct++;
      } else this.held.push(text);
    }
    return out;
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      const out = this.convert(this.lines.push(chunk.toString()));
      done(null, out || undefined);
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      const out = this.convert(this.lines.end());
      done(null, out || undefined);
    } catch (err) {
      done(err as Error);
    }
  }
}

/**
 * Ingests pump rows newer than the stored watermark, batch by batch, until the pump table is
 * drained. Resumable: every batch commits its rows with its watermark, so a crash or an abort
 * (`signal`, which rejects with its reason) loses at most the batch in flight.
 */
export async function ingestAnalytics(opts: IngestOptions): Promise<IngestResult> {
  const { db, sourceUrl, signal, onProgress } = opts;
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("ingestAnalytics: no databaseUrl and DATABASE_URL is not set");
  const table = opts.table ?? "tyk_analytics";
  const batchSize = Math.max(1, opts.batchSize ?? 50_000);
  const lookbackMs = Math.max(0, opts.lookbackMs ?? 120_000);
  signal?.throwIfAborted();

  const source = new pg.Client({
    connectionString: sourceUrl,
    types: rawTimestamps,
    options: "-c default_transaction_read_only=on -c TimeZone=UTC",
  });
  const target = new pg.Client({ connectionString: databaseUrl });
  await source.connect();
  try {
    await target.connect();
    await assertSameDatabase(db, target);
    const columns = await sourceColumns(source, table);
    const tableSql = source.escapeIdentifier(table);
    const [endpoints, keys] = await Promise.all([
      db.endpoint.findMany({ select: { id: true, apiId: true, method: true, path: true } }),
      db.key.findMany({ select: { keyHash: true, identityId: true } }),
    ]);
    const matcher: EndpointMatcher = compileEndpoints(endpoints);
    const knownHashes = new Set(keys.map((k) => k.keyHash));
    // Identity resolved here, from the keys as of the run's start (a key synced mid-run gets its
    // identity on the next run's requests, as with any key Touchline has not seen yet).
    const identities = new Map(keys.flatMap((k) => (k.identityId ? [[k.keyHash, k.identityId] as const] : [])));

    let watermark = await readWatermark(target);
    let cursor = "-infinity";
    if (watermark) {
      const { rows } = await source.query<{ c: string }>("SELECT ($1::timestamptz - $2::int * interval '1 millisecond')::text AS c", [
        watermark,
        lookbackMs,
      ]);
      cursor = rows[0].c;
    }

    const progress: IngestProgress = { batches: 0, read: 0, rows: 0, watermark };
    for (;;) {
      signal?.throwIfAborted();
      const bound = await source.query<{ hi: string | null }>(
        `SELECT max(ts)::text AS hi FROM (
           SELECT "timestamp" AS ts FROM ${tableSql} WHERE "timestamp" > $1::timestamptz ORDER BY "timestamp" LIMIT $2
         ) s`,
        [cursor, batchSize],
      );
      const hi = bound.rows[0]?.hi ?? null;
      if (!hi) break;
      const res = await writeBatch(target, source, { columns, tableSql, cursor, hi, matcher, knownHashes, identities }, signal);
      watermark = await readWatermark(target);
      cursor = hi;
      progress.batches += 1;
      progress.read += res.read;
      progress.rows += res.inserted;
      progress.watermark = watermark;
      await onProgress?.({ ...progress });
    }
    return { rows: progress.rows, read: progress.read, batches: progress.batches, watermark };
  } finally {
    await source.end().catch(() => {});
    await target.end().catch(() => {});
  }
}

async function isBefore(client: pg.Client, a: string, b: string): Promise<boolean> {
  const { rows } = await client.query<{ lt: boolean }>("SELECT $1::timestamptz < $2::timestamptz AS lt", [a, b]);
  return rows[0].lt;
}
