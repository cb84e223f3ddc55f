/**
 * Day partitions of request_records (prisma/hand-tuned.sql): which table a day's rows go into.
 *
 * A day Touchline has no partition for yet (a first import, catching up after an outage, or just
 * the first rows after midnight) is loaded into a detached, unindexed table and attached when
 * ingestion moves past it or the run ends: PostgreSQL then builds its indexes in one sorted pass
 * each, several times cheaper than maintaining them row by row, and no query ever sees the day
 * half-indexed or half-loaded. Once attached, later rows of the day (the next runs, late pump
 * writes) go into the partition as ordinary inserts. The loading table and the watermark commit
 * together, so a crash mid-day resumes into it.
 */
import pg from "pg";

type Sql = Pick<pg.Client, "query">;

const PARENT = "request_records";
const DEFAULT_PARTITION = "request_records_default";
const DAY = /^\d{4}-\d\d-\d\d$/;
const ATTACH_LOCK = 0x746c_6174;

function checkDay(day: string): string {
  if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
  return day;
}

/** `request_records_p20261126` for 2026-11-26. */
export function partitionName(day: string): string {
  return `${PARENT}_p${checkDay(day).replaceAll("-", "")}`;
}

/** The detached table a day loads into before it is attached. */
export function loadingName(day: string): string {
  return `${PARENT}_load_${checkDay(day).replaceAll("-", "")}`;
}

/** The UTC day (YYYY-MM-DD) of a timestamp as PostgreSQL prints it in a UTC session. */
export function dayOf(ts: string): string {
  const day = ts.slice(0, 10);
  return checkDay(day);
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const bounds = (day: string) => `FOR VALUES FROM ('${checkDay(day)} 00:00:00') TO ('${nextDay(day)} 00:00:00')`;
const inDay = (day: string) => `ts >= '${checkDay(day)}'::timestamp AND ts < '${nextDay(day)}'::timestamp`;

/** SQL: whether the relation name `column` is a day's loading table (see loadingName). */
export function isLoadingTableSql(column: string): string {
  return `${column} ~ '^${PARENT}_load_[0-9]{8}$'`;
}

/** Days with a loading table (an import interrupted mid-day, or not yet attached), oldest first. */
export async function loadingDays(sql: Sql): Promise<string[]> {
  const { rows } = await sql.query<{ relname: string }>(
    `SELECT relname FROM pg_class WHERE relkind = 'r' AND ${isLoadingTableSql("relname")} AND relnamespace = current_schema()::regnamespace ORDER BY relname`,
  );
  return rows.map((r) => r.relname.slice(-8)).map((d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`);
}

/** Committed request records, days still loading included (a count for tests and diagnostics). */
export async function countStoredRecords(sql: Sql): Promise<number> {
  let n = Number((await sql.query<{ n: string }>("SELECT count(*) AS n FROM request_records")).rows[0].n);
  for (const day of await loadingDays(sql)) n += Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${loadingName(day)}`)).rows[0].n);
  return n;
}

/**
 * The table `day`'s rows go into: the partitioned table once the day has a partition, else the
 * day's loading table, created here. Call inside the batch's transaction: the table it creates
 * commits with the rows.
 */
export async function targetForDay(sql: Sql, day: string): Promise<string> {
  const loading = loadingName(day);
  const { rows: [found] } = await sql.query<{ partition: boolean; loading: boolean }>(
    "SELECT to_regclass($1) IS NOT NULL AS partition, to_regclass($2) IS NOT NULL AS loading", [partitionName(day), loading]);
  if (found.partition) return PARENT;
  // Born with its day's CHECK constraint: COPY checks each row as it arrives (next to nothing), and
  // ATTACH, finding the constraint, skips the scan of the whole day it would otherwise make.
  if (!found.loading) await sql.query(`CREATE TABLE ${loading} (LIKE ${PARENT} INCLUDING DEFAULTS, CONSTRAINT ${dayCheck(day)} CHECK (${inDay(day)}))`);
  return loading;
}

/** The CHECK constraint a loading table carries until it is attached. */
const dayCheck = (day: string) => `${loadingName(day)}_day`;

/**
 * Rows of `day` in the DEFAULT partition (written without a day partition, e.g. by a one-off
 * insert) would block attaching the day; they move into `into` first (unless already there).
 */
function takeFromDefaultSql(day: string, into: string): string {
  return `WITH moved AS (DELETE FROM ${DEFAULT_PARTITION} WHERE ${inDay(day)} RETURNING *)
    INSERT INTO ${into} SELECT m.* FROM moved m
    WHERE NOT EXISTS (SELECT 1 FROM ${into} r WHERE r.ts = m.ts AND r.source_id = m.source_id)`;
}

/** A day's indexes sort in memory with room to spare (the server default, 64 MB, spills a busy day to disk). */
const INDEX_MEMORY = "SET LOCAL maintenance_work_mem = '256MB'";

/**
 * Builds the parent's indexes on a day's loading table before ATTACH, on every connection given
 * at once, each taking the next index when its last one is built (largest first: the full-table
 * ones, the primary key — whose input is already in time order — then the partial ones). One
 * connection would build them one after the other, as ATTACH does; two finish in a little more
 * than the longest pair. The table is no partition yet, so no query sees it half-indexed; an index
 * built here and not yet attached is kept (a stopped run's next attach uses it, and rows loaded
 * meanwhile maintain it), and whatever is missing ATTACH builds itself. The primary key is built
 * as a unique index: the attach makes it the table's key.
 */
async function buildDayIndexes(loading: string, clients: pg.Client[]): Promise<void> {
  const { rows } = await clients[0].query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = '${PARENT}'::regclass AND to_regclass('${loading}') IS NOT NULL
        AND to_regclass('${loading}' || substr(c.relname, ${PARENT.length + 1})) IS NULL
      ORDER BY i.indpred IS NOT NULL, i.indisunique, c.relname`,
  );
  const queue = rows.map((r) => r.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ /, `CREATE $1INDEX ${loading}${r.name.slice(PARENT.length)} ON ${loading} `));
  const worker = async (c: pg.Client) => {
    for (let def = queue.shift(); def; def = queue.shift()) await c.query(`${INDEX_MEMORY}; ${def}`);
  };
  await Promise.all(clients.map(worker));
}

/**
 * Attaches a loaded day: its indexes are built in one pass each — on `helper` too at the same time
 * when given (buildDayIndexes), else by ATTACH; the day's CHECK constraint (see targetForDay)
 * spares ATTACH a scan. The attach is one transaction, so the day appears whole.
 */
export async function attachLoadedDay(client: pg.Client, day: string, helper?: pg.Client): Promise<void> {
  const loading = loadingName(day);
  const partition = partitionName(day);
  // Two runs could both try: the second waits, then finds the day attached (and its indexes built).
  if (helper) await client.query(`SELECT pg_advisory_lock(${ATTACH_LOCK})`);
  try {
    if (helper) await buildDayIndexes(loading, [client, helper]);
    const [, , { rows: [found] }] = (await client.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${ATTACH_LOCK});
       SELECT to_regclass('${loading}') IS NOT NULL AS ok,
              EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('${loading}') AND conname = '${dayCheck(day)}') AS checked,
              to_regclass('${loading}_pkey') IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('${loading}') AND contype = 'p') AS unkeyed`,
    )) as unknown as pg.QueryResult<{ ok: boolean; checked: boolean; unkeyed: boolean }>[];
    if (!found.ok) {
      await client.query("ROLLBACK");
      return;
    }
    // One round trip for the lot (a small day's attach is mostly round trips). ATTACH names the
    // indexes it builds after the loading table, as buildDayIndexes does: they are renamed after
    // the partition. A loading table made before tables were born with their CHECK gets it here
    // (validated by one scan).
    await client.query(`${INDEX_MEMORY};
      ${takeFromDefaultSql(day, loading)};
      ${found.checked ? "" : `ALTER TABLE ${loading} ADD CONSTRAINT ${dayCheck(day)} CHECK (${inDay(day)});`}
      ${found.unkeyed ? `ALTER TABLE ${loading} ADD CONSTRAINT ${loading}_pkey PRIMARY KEY USING INDEX ${loading}_pkey;` : ""}
      ALTER TABLE ${PARENT} ATTACH PARTITION ${loading} ${bounds(day)};
      ALTER TABLE ${loading} DROP CONSTRAINT ${dayCheck(day)};
      ALTER TABLE ${loading} RENAME TO ${partition};
      DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  WHERE i.indrelid = '${partition}'::regclass AND starts_with(c.relname, '${loading}') LOOP
          EXECUTE format('ALTER INDEX %I RENAME TO %I', r.relname, '${partition}' || substr(r.relname, ${loading.length + 1}));
        END LOOP;
      END $$;
      COMMIT`);
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    if (helper) await client.query(`SELECT pg_advisory_unlock(${ATTACH_LOCK})`).catch(() => {});
  }
}

/**
 * Attaches loaded days on a connection of its own, oldest first, so the next day loads while the
 * previous one's indexes are built. A failed attach is reported by the next call (the day stays a
 * loading table; the next run attaches it).
 */
export class BackgroundAttacher {
  private client: pg.Client | null = null;
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private readonly queued = new Set<string>();

  constructor(private readonly databaseUrl: string) {}

  /** Queues every loaded day before `day` (all of them for null); throws an earlier attach's error. */
  async attachBefore(sql: Sql, day: string | null): Promise<void> {
    if (this.failure) throw this.failure;
    for (const d of await loadingDays(sql)) {
      if ((day !== null && d >= day) || this.queued.has(d)) continue;
      this.queued.add(d);
      this.queue = this.queue.then(() => this.attach(d));
    }
  }

  private async attach(day: string): Promise<void> {
    if (this.failure) return;
    try {
      if (!this.client) {
        this.client = new pg.Client({ connectionString: this.databaseUrl });
        await this.client.connect();
      }
      await attachLoadedDay(this.client, day);
    } catch (err) {
      this.failure = err;
    } finally {
      this.queued.delete(day);
    }
  }

  /** Waits for every queued attach; throws the first failure. */
  async drain(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}
