/**
 * Analytics ingestion: Tyk Pump's SQL table (`tyk_analytics`) → Touchline's `request_records`.
 *
 * Batches are windows of the pump's `timestamp` (its table has no id column) within one UTC day
 * (one partition; see partitions.ts), so the watermark — the end of the last window ingested, kept
 * in sync_state "analytics" in the same transaction as the rows — never splits a group of equal
 * timestamps. Each batch streams through COPY out
 * of the pump and COPY straight into request_records (identity resolved from the keys, and the
 * caller tuple to its request_callers id, in memory): no row-by-row inserts. Re-reading is harmless (rows at or below the watermark are deduped on
 * (ts, source_id)), so each run starts a little before the watermark to pick up rows a pump wrote late.
 */
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { CallerDictionary, loadCallers, reserveCallerIds } from "./callers";
import { KeyTable } from "./key-table";
import { BatchProgress } from "./batch-progress";
import { HOUR, writeHourAggregates } from "./hour-aggregates";
import { compileEndpoints, type EndpointMatcher } from "./match-endpoint";
import { attachLoadedDay, BackgroundAttacher, dayOf, loadingDays, targetForDay } from "./partitions";
import { PumpToRecords, recordContext, type RecordContext } from "./pump-to-records";
import { PumpKeys } from "./pump-keys";
import { keepSampleSql } from "./samples";
import { loadSamplingPlan } from "./sampling-plan";
import { UnmatchedPaths } from "./unmatched";
import { QUERY_COLUMNS, RECORD_COLUMNS, type PumpColumn } from "./transform";

export const ANALYTICS_SYNC_STATE = "analytics";

export interface IngestProgress {
  batches: number;
  /** Rows read from the pump table so far. */
  read: number;
  /** New request_records inserted so far. */
  rows: number;
  /** Rows read that matched no endpoint template (stored without one). */
  unmatched: number;
  watermark: string | null;
}

export interface IngestOptions {
  /** Touchline's database: checked to be the one `databaseUrl` names (ingest reads and writes over `pg`). */
  db: PrismaClient;
  /** The pump database (TYK_ANALYTICS_DATABASE_URL); opened read-only. */
  sourceUrl: string;
  /** URL of the same database as `db`, for COPY (Prisma exposes none). Default: DATABASE_URL. */
  databaseUrl?: string;
  /** Pump table; `tyk_analytics` unless the pump shards by day. */
  table?: string;
  /** Source rows per batch, roughly: batches are time windows sized from the rate seen so far. Default 200,000. */
  batchSize?: number;
  /** How far before the watermark a run starts reading again, for late pump writes. Default 2 min. */
  lookbackMs?: number;
  /**
   * The raw horizon: rows of days before this one's UTC day are aggregated (endpoint_hours)
   * but not stored as records (a first sync of a long pump history keeps its
   * aggregates without loading what retention would drop). Default: every row is stored.
   */
  rawFrom?: Date;
  /** Ingest no row newer than this (default: up to the pump's newest row as the run starts). */
  until?: Date;
  /** Minutes a group of the investigation's sample may span (sampler.ts; default SAMPLE_SPAN_MINUTES). */
  sampleSpanMinutes?: number;
  /** The longest span of pump time one batch covers (default and most: one day, a partition). */
  maxWindowMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void | Promise<void>;
}

export interface IngestResult {
  rows: number;
  read: number;
  batches: number;
  /** Rows read that matched no endpoint template. */
  unmatched: number;
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

/** The pump query's select list (QUERY_COLUMNS). */
async function sourceColumns(source: pg.Client, table: string): Promise<string[]> {
  // The catalog itself, not information_schema: its views cost a small run ~0.1 s of planning and joins.
  const { rows } = await source.query<{ column_name: string }>(
    `SELECT attname AS column_name FROM pg_attribute
      WHERE attrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1)) AND attnum > 0 AND NOT attisdropped`,
    [table],
  );
  if (rows.length === 0) throw new Error(`pump table ${table} not found in the analytics database`);
  const present = new Set(rows.map((r) => r.column_name));
  for (const required of ["timestamp", "apiid"]) {
    if (!present.has(required)) throw new Error(`pump table ${table} has no ${required} column`);
  }
  // Columns an older pump lacks are read as NULL so one query fits every version.
  const column = (c: PumpColumn) => (present.has(c) ? source.escapeIdentifier(c) : "NULL");
  return QUERY_COLUMNS.map((c) => `${column(c)} AS ${source.escapeIdentifier(c)}`);
}

type CatalogRows = [
  { id: string; apiId: string; method: string; path: string }[],
  { keyHash: string; identityId: string | null }[],
  { keyHash: string; identityId: string | null }[],
  { id: string; externalId: string }[],
];

/** Endpoints, keys, keys learnt from Pump and identities, in one round trip. */
async function readCatalog(client: pg.Client): Promise<CatalogRows> {
  const results = (await client.query(`SELECT id, api_id AS "apiId", method, path FROM endpoints;
    SELECT key_hash AS "keyHash", identity_id AS "identityId" FROM keys;
    SELECT key_hash AS "keyHash", identity_id AS "identityId" FROM pump_keys;
    SELECT id, external_id AS "externalId" FROM identities`)) as unknown as pg.QueryResult[];
  return results.map((r) => r.rows) as CatalogRows;
}

const WATERMARK_SQL = "SELECT value->>'ts' AS ts FROM sync_state WHERE name = $1";

async function readWatermark(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ ts: string | null }>(WATERMARK_SQL, [ANALYTICS_SYNC_STATE]);
  return rows[0]?.ts ?? null;
}

interface HeldInserted {
  endpoint_id: string | null;
  minute: number;
  latency_ms: number;
  status: number;
  upstream_ms: number | null;
  caller_id: number;
}

/** Epoch ms of the start of a timestamp(3) column's minute (the column holds UTC), as a float8. */
const epochMinuteSql = (column: string) => `(extract(epoch FROM date_trunc('minute', ${column}) AT TIME ZONE 'UTC') * 1000)::float8`;

// Serialises batches of concurrent runs: the dedupe below reads the committed watermark, so two
// runs must not both write rows above it.
export const INGEST_LOCK = 0x746c_6169;

interface BatchSpec extends RecordContext {
  columns: string[];
  tableSql: string;
  /** Exclusive lower and inclusive upper pump timestamp of the batch (Postgres text, UTC), both in `day`'s rows. */
  cursor: string;
  hi: string;
  /** The UTC day every row of the batch falls in: a batch never spans two partitions. */
  day: string;
  /** The day is before the raw horizon: write its aggregates and investigation sample, not its records. */
  aggregatesOnly: boolean;
  sampleSpan?: number;
}

/** Where a batch of a day before the raw horizon lands: a table shaped like request_records, dropped at commit. */
async function backfillTable(target: pg.Client): Promise<string> {
  await target.query("CREATE TEMP TABLE tl_backfill (LIKE request_records INCLUDING DEFAULTS) ON COMMIT DROP");
  return "tl_backfill";
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
async function writeBatch(target: pg.Client, source: pg.Client, b: BatchSpec, signal?: AbortSignal): Promise<{ read: number; inserted: number; watermark: string; lastTs: string | null }> {
  try {
    // One round trip: open, lock, and read the watermark committed under the lock.
    const opened = (await target.query(`BEGIN; SET LOCAL TIME ZONE 'UTC'; SELECT pg_advisory_xact_lock(${INGEST_LOCK});
      ${WATERMARK_SQL.replace("$1", target.escapeLiteral(ANALYTICS_SYNC_STATE))}`)) as unknown as pg.QueryResult<{ ts: string | null }>[];
    const committed = opened[opened.length - 1].rows[0]?.ts ?? null;
    // A day before the raw horizon keeps only its aggregates and its investigation sample: its records
    // go to a table dropped at commit, and only the sample rows on to request_samples.
    const into = b.aggregatesOnly ? await backfillTable(target) : await targetForDay(target, b.day);
    const select = `SELECT ${b.columns.join(", ")} FROM ${b.tableSql}
      WHERE "timestamp" > ${source.escapeLiteral(b.cursor)}::timestamptz AND "timestamp" <= ${source.escapeLiteral(b.hi)}::timestamptz
      ORDER BY "timestamp"`;
    // Busy endpoints' rows are weighted for the investigation's sample (sampler.ts).
    const transform = new PumpToRecords(b, committed, { sampling: await loadSamplingPlan(target, b.cursor), sampleSpan: b.sampleSpan });
    await pipeline(
      source.query(copyTo(`COPY (${select}) TO STDOUT`)),
      transform,
      target.query(copyFrom(`COPY ${into} (${RECORD_COLUMNS.join(", ")}) FROM STDIN`)),
    );
    let inserted = b.aggregatesOnly ? 0 : transform.direct;
    // Held rows are re-reads at or below the watermark: before the raw horizon there is nothing to check them
    // against, and their batch already counted them.
    if (!b.aggregatesOnly && transform.held.length) {
      await target.query(`CREATE TEMP TABLE tl_analytics_held (LIKE request_records INCLUDING DEFAULTS) ON COMMIT DROP`);
      await pipeline(Readable.from([transform.held.join("")]), target.query(copyFrom(`COPY tl_analytics_held (${RECORD_COLUMNS.join(", ")}) FROM STDIN`)));
      const cols = RECORD_COLUMNS.join(", ");
      const res = await target.query<HeldInserted>(`INSERT INTO ${into} (${cols}) SELECT ${cols} FROM tl_analytics_held h
        WHERE NOT EXISTS (SELECT 1 FROM ${into} r WHERE r.ts = h.ts AND r.source_id = h.source_id)
        RETURNING endpoint_id, ${epochMinuteSql("ts")} AS minute, latency_ms, status, upstream_ms, caller_id`);
      inserted += res.rowCount ?? 0;
      for (const r of res.rows) transform.aggregates.add(r.endpoint_id, r.minute, r.latency_ms, r.status, r.upstream_ms, r.caller_id);
    }
    // The batch's new callers, keys learnt from Pump and unmatched paths commit with the rows that name
    // them, and the aggregates of exactly the rows stored (or, before the raw horizon, read) with them.
    transform.aggregates.renameCallers(await b.callers.writePending(target, into));
    if (b.aggregatesOnly) await target.query(keepSampleSql(into));
    await b.pumpKeys.writePending(target);
    await b.unmatched.writePending(target);
    await writeHourAggregates(target, transform.aggregates, committed ? hourOf(committed) : Number.NEGATIVE_INFINITY);
    // The look-back re-reads rows below the watermark; it must never move backwards.
    const { rows: [{ next }] } = await target.query<{ next: string }>(
      `INSERT INTO sync_state (name, value, updated_at)
       VALUES ($1, jsonb_build_object('ts', CASE WHEN $3::text::timestamptz > $2::text::timestamptz THEN $3::text ELSE $2::text END), now())
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
       RETURNING value->>'ts' AS next`,
      [ANALYTICS_SYNC_STATE, b.hi, committed],
    );
    // Abort before COMMIT leaves the batch (rows and watermark) unwritten, as a crash would.
    signal?.throwIfAborted();
    await target.query("COMMIT");
    b.callers.commit();
    b.pumpKeys.commit();
    b.unmatched.commit();
    return { read: transform.rowsRead, inserted, watermark: next, lastTs: transform.lastTimestamp() };
  } catch (err) {
    await target.query("ROLLBACK").catch(() => {});
    b.callers.rollback();
    b.pumpKeys.rollback();
    b.unmatched.rollback();
    throw err;
  }
}

/**
 * Ingests pump rows newer than the stored watermark, batch by batch, up to the pump's newest row
 * as the run starts (its extent): rows the pump writes meanwhile are the next run's. Resumable: every batch commits its rows with its watermark, so a crash or an abort
 * (`signal`, which rejects with its reason) loses at most the batch in flight.
 */
export async function ingestAnalytics(opts: IngestOptions): Promise<IngestResult> {
  const { db, sourceUrl, signal, onProgress } = opts;
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("ingestAnalytics: no databaseUrl and DATABASE_URL is not set");
  const table = opts.table ?? "tyk_analytics";
  const batchSize = Math.max(1, opts.batchSize ?? 200_000);
  const lookbackMs = Math.max(0, opts.lookbackMs ?? 120_000);
  const maxWindowMs = Math.min(DAY_MS, Math.max(1, opts.maxWindowMs ?? DAY_MS));
  const rawFromDay = opts.rawFrom ? opts.rawFrom.toISOString().slice(0, 10) : null;
  signal?.throwIfAborted();

  const source = new pg.Client({
    connectionString: sourceUrl,
    types: rawTimestamps,
    options: "-c default_transaction_read_only=on -c TimeZone=UTC",
  });
  const target = new pg.Client({ connectionString: databaseUrl });
  const attacher = new BackgroundAttacher(databaseUrl);
  // Caller ids are reserved while the batch's COPY holds the target connection: on a third one,
  // connected with the others (a handshake each, in parallel) rather than when the COPY first needs
  // it, which would stall the stream for the handshake.
  const reserver = new pg.Client({ connectionString: databaseUrl });
  const reserverReady = reserver.connect();
  reserverReady.catch(() => {}); // reported by the first reserve that needs it
  const reserve = async (n: number) => {
    await reserverReady;
    return reserveCallerIds(reserver, n);
  };
  // Every client is ended once: on abort, and again (a no-op then) on the way out.
  const ended = new Map<pg.Client, Promise<void>>();
  const endOnce = (c: pg.Client | null) => {
    if (c && !ended.has(c)) ended.set(c, c.end().catch(() => {}));
    return c ? ended.get(c)! : Promise.resolve();
  };
  // An abort must also stop a batch blocked inside PostgreSQL (a lock wait, a stalled COPY):
  // closing the connections ends its statements, and the server rolls the open batch back.
  const hangUp = () => void Promise.all([endOnce(source), endOnce(target), endOnce(reserver)]);
  signal?.addEventListener("abort", hangUp, { once: true });
  // Connected together: each costs a SCRAM handshake, which a small run would otherwise feel.
  const connecting = [source.connect(), target.connect()];
  try {
    await Promise.all(connecting);
    // The configuration over the target connection: Prisma's client adds nothing here but its own
    // cost, which a run of a few thousand rows notices.
    const [columns, [endpoints, keys, pumpKeys, identities]] = await Promise.all([
      sourceColumns(source, table),
      assertSameDatabase(db, target).then(() => readCatalog(target)),
    ]);
    const tableSql = source.escapeIdentifier(table);
    const matcher: EndpointMatcher = compileEndpoints(endpoints);
    // Identity resolved here, from the keys as of the run's start (a key synced mid-run gets its
    // identity on the next run's requests, as with any key Touchline has not seen yet); keys the
    // Dashboard never listed are learnt from their records' alias (pump-keys.ts).
    const known = new Set(keys.map((k) => k.keyHash));
    const keyTable = new KeyTable([...keys, ...pumpKeys.filter((k) => !known.has(k.keyHash))]);
    // The run holds the ingest lock batch by batch, so no other ingest adds callers meanwhile.
    const records = recordContext(
      matcher, keyTable, new CallerDictionary(await loadCallers(target), reserve),
      new PumpKeys(new Map(identities.map((i) => [i.externalId, i.id]))), new UnmatchedPaths(),
    );

    let watermark = await readWatermark(target);
    let cursor = "-infinity";
    if (watermark) {
      const { rows } = await source.query<{ c: string }>("SELECT ($1::timestamptz - $2::int * interval '1 millisecond')::text AS c", [
        watermark,
        lookbackMs,
      ]);
      cursor = rows[0].c;
    }

    // The run's extent: the pump's newest row as of now. Rows written later are the next run's
    // (or its look-back's): a pump writes every few seconds, so a run chasing them would never end.
    // `until` caps it further (rows newer than the configuration they are matched against wait).
    const extent = (await source.query<{ lo: string | null; hi: string | null; rows: number }>(
      `SELECT min("timestamp")::text AS lo, max("timestamp")::text AS hi,
              (SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = $1::regclass)::float8 AS rows
         FROM ${tableSql}${opts.until ? ` WHERE "timestamp" <= $2::timestamptz` : ""}`,
      opts.until ? [tableSql, opts.until.toISOString()] : [tableSql],
    )).rows[0];
    const newest = extent.hi;
    // Batches are time windows sized to hold about batchSize rows at the rate the last one saw
    // (first guess: the table's average): a row-count bound would cost an index scan per batch.
    let windowMs = extent.lo && extent.hi && extent.rows > 0
      ? ((pgMs(extent.hi) - pgMs(extent.lo)) * batchSize) / extent.rows
      : 60_000;
    windowMs = clampWindow(windowMs, maxWindowMs);

    const progress: IngestProgress = { batches: 0, read: 0, rows: 0, unmatched: 0, watermark };
    const guard = new BatchProgress();
    while (newest) {
      signal?.throwIfAborted();
      // The next row within the extent, and the window from it: never past the day (a batch
      // fills one partition) or the extent.
      const { rows: [next] } = await source.query<{ first: string | null; hi: string | null; advances: boolean | null }>(
        `SELECT first::text, hi::text, hi > $1::timestamptz AS advances
           FROM (SELECT first, LEAST(first + $2::float8 * interval '1 millisecond',
                                     date_trunc('day', first) + interval '1 day' - interval '1 microsecond',
                                     $3::timestamptz) AS hi
                   FROM (SELECT min("timestamp") AS first FROM ${tableSql}
                          WHERE "timestamp" > $1::timestamptz AND "timestamp" <= $3::timestamptz) f) w`,
        [cursor, windowMs, newest],
      );
      if (!next?.first || !next.hi) break;
      guard.beforeBatch(next.advances === true, cursor, next.hi);
      const day = dayOf(next.first);
      const hi = next.hi;
      // Loaded days before this one are complete: attach them while this one loads.
      await attacher.attachBefore(target, day);
      const res = await writeBatch(target, source, { ...records, columns, tableSql, cursor, hi, day, aggregatesOnly: rawFromDay !== null && day < rawFromDay, sampleSpan: opts.sampleSpanMinutes }, signal);
      guard.afterBatch(res.read, hi);
      watermark = res.watermark;
      cursor = hi;
      // The rate over the rows actually read (first to last), not the window: a window cut at
      // the day's end or the extent holds fewer rows than its length suggests.
      const spanMs = Math.max(1, pgMs(res.lastTs ?? hi) - pgMs(next.first));
      windowMs = clampWindow(res.read > 1 ? (spanMs * batchSize) / res.read : windowMs * 2, maxWindowMs);
      progress.batches += 1;
      progress.read += res.read;
      progress.rows += res.inserted;
      progress.unmatched = records.unmatched.total;
      progress.watermark = watermark;
      await onProgress?.({ ...progress });
    }
    // Drained: whatever was loading is complete as of this run, today included (its later rows
    // go into the attached partition).
    await attacher.drain();
    // The target connection is free now: the days still loading attach on it, so a run that
    // loaded one day opens no connection for that, and the caller-id connection builds half of
    // their indexes meanwhile.
    const helper = await reserverReady.then(() => reserver, () => undefined);
    for (const day of await loadingDays(target)) await attachLoadedDay(target, day, helper);
    return { rows: progress.rows, read: progress.read, batches: progress.batches, unmatched: records.unmatched.total, watermark };
  } catch (err) {
    // Whatever a hung-up statement threw, the run stopped because it was told to.
    throw signal?.aborted ? signal.reason : err;
  } finally {
    signal?.removeEventListener("abort", hangUp);
    await attacher.close();
    await endOnce(reserver);
    await endOnce(source);
    await endOnce(target);
  }
}

const DAY_MS = 86_400_000;
/** Milliseconds of a UTC timestamp as PostgreSQL prints it ("2026-11-26 04:30:00.123456+00"). */
const pgMs = (ts: string) => Date.parse(ts.replace(" ", "T").replace(/\+00$/, "Z"));
const hourOf = (ts: string) => pgMs(ts) - (pgMs(ts) % HOUR);
const clampWindow = (ms: number, max: number) => Math.min(max, Math.max(1, Number.isFinite(ms) ? ms : 60_000));

