import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPgClient as withClient } from "@/lib/pg-client";
import { PUMP_SCHEMA_SQL } from "@/simulators/tyk-dashboard/pump-schema";
import { freshDatabase, freshDatabases, type FreshDatabase } from "@/tests/helpers/db";
import { ingestAnalytics } from "./ingest";
import pg from "pg";
import { attachLoadedDay, loadingDays, loadingName, partitionName, targetForDay } from "./partitions";

// Three days of pump rows, the last one still being written.
const DAYS = ["2026-11-24", "2026-11-25", "2026-11-26"];
const PER_DAY = 600;

async function seedPump(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(PUMP_SCHEMA_SQL);
    // Spread over each day's first 20 hours; the last row is 2026-11-26 ~20:00, so 11-26 stays open.
    await c.query(
      `INSERT INTO tyk_analytics (timestamp, method, path, rawpath, responsecode, apikey, apiid, orgid, oauthid,
          requesttime, latency_total, latency_upstream, latency_gateway, tags, alias, listenpath, ipaddress, useragent, host)
       SELECT d::timestamptz + (i * interval '2 minutes'), 'GET', '/orders/' || i, '/orders/' || i, 200, '', 'orders', 'org1', '',
              100 + i % 50, 100 + i % 50, 90, 10, '["pol-gold"]', 'alias', '/orders/', '10.0.0.1', 'curl/8', 'gw'
       FROM unnest($1::text[]) AS d, generate_series(0, $2::int - 1) AS i`,
      [DAYS.map((d) => `${d} 00:00:00+00`), PER_DAY],
    );
  });
}

/** A partition's indexes (name → definition, the partition's name left out) and whether it has its primary key. */
const indexesOf = (url: string, table: string) =>
  withClient(url, async (c) => {
    const { rows } = await c.query<{ name: string; def: string }>(
      `SELECT indexname AS name, regexp_replace(indexdef, '^.* USING ', '') AS def FROM pg_indexes WHERE tablename = $1 ORDER BY 2`, [table]);
    const { rows: [key] } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [table]);
    return { names: rows.map((r) => r.name), defs: rows.map((r) => r.def), primaryKey: key.n === 1 };
  });

const partitionsOf = (url: string) =>
  withClient(url, async (c) =>
    (await c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'request_records'::regclass ORDER BY 1`,
    )).rows.map((r) => r.name),
  );

describe("request_records day partitions", () => {
  let source: FreshDatabase;
  const touchlines = freshDatabases(async (db) => {
    await db.api.create({ data: { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} } });
    await db.endpoint.create({ data: { id: "ep-orders-get", apiId: "orders", method: "GET", path: "/orders/{id}" } });
  });
  const touchline = () => touchlines.create();

  // The first test adds a row to the pump: count what is there.
  const pumpRows = () => withClient(source.url, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM tyk_analytics")).rows[0].n);

  beforeAll(async () => {
    source = await freshDatabase({ migrate: false });
    await seedPump(source.url);
  });

  afterAll(async () => {
    await touchlines.dropAll();
    await source?.drop();
  });

  it("loads each day detached and attaches it indexed; a later run appends to the attached day", async () => {
    const { url, db } = await touchline();
    const res = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, batchSize: 250 });
    expect(res.rows).toBe(DAYS.length * PER_DAY);
    expect(await partitionsOf(url)).toEqual(["request_records_default", ...DAYS.map(partitionName)]);
    expect(await withClient(url, loadingDays)).toEqual([]);
    for (const day of DAYS) {
      expect(await db.requestRecord.count({ where: { ts: { gte: new Date(`${day}T00:00:00Z`), lt: new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000) } } })).toBe(PER_DAY);
    }
    // Each attached day carries the parent's indexes (built by ATTACH): primary key, endpoint, the weighted sample, caller, traced.
    const indexes = await withClient(url, async (c) =>
      (await c.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE tablename = $1`, [partitionName(DAYS[0])])).rows.map((r) => r.name));
    expect(indexes).toHaveLength(5);
    // Named after the partition, not the loading table they were built on.
    for (const name of indexes) expect(name.startsWith(`${partitionName(DAYS[0])}_`)).toBe(true);
    const plan = await withClient(url, async (c) => {
      await c.query("SET enable_seqscan = off");
      const r = await c.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT count(*) FROM request_records WHERE endpoint_id = 'ep-orders-get' AND ts >= '2026-11-25 01:00' AND ts < '2026-11-25 02:00'`);
      return r.rows.map((x) => x["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain(partitionName(DAYS[1]));
    expect(plan).not.toContain(partitionName(DAYS[0]));
    expect(plan).toMatch(/Index Only Scan using request_records_p20261125_endpoint_id_ts_/);
    // The run's last day had its indexes built before ATTACH, on two connections: the same indexes,
    // the primary key a constraint, named after the partition.
    const [first, last] = [await indexesOf(url, partitionName(DAYS[0])), await indexesOf(url, partitionName(DAYS[2]))];
    expect(last.defs).toEqual(first.defs);
    expect(last.primaryKey && first.primaryKey).toBe(true);
    for (const name of last.names) expect(name.startsWith(`${partitionName(DAYS[2])}_`)).toBe(true);

    // The pump writes on into the last day: those rows go straight into its partition.
    await withClient(source.url, (c) => c.query(
      `INSERT INTO tyk_analytics (timestamp, method, path, responsecode, apikey, apiid, requesttime, tags, listenpath)
       SELECT max(timestamp) + interval '1 minute', 'GET', '/orders/more', 200, '', 'orders', 5, '[]', '/orders/' FROM tyk_analytics`));
    const more = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url });
    expect(more.rows).toBe(1);
    expect(await withClient(url, loadingDays)).toEqual([]);
    const part = await withClient(url, async (c) =>
      (await c.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM request_records WHERE path = '/orders/more'`)).rows[0].part);
    expect(part).toBe(partitionName(DAYS[2]));
  });

  it("resumes a day interrupted mid-load from its loading table, losing and doubling nothing", async () => {
    const { url, db } = await touchline();
    const ac = new AbortController();
    const run = ingestAnalytics({
      // Windows of at most 2 h (≤ 60 of the day's 600 rows), whatever rate the last batch saw: the
      // abort below lands inside the second day, not after a batch that happened to cover all of it.
      db, databaseUrl: url, sourceUrl: source.url, batchSize: 250, maxWindowMs: 2 * 3_600_000, signal: ac.signal,
      // Stop once a batch of the second day is in: that day is loading, the first one attached.
      onProgress: (p) => {
        if (p.watermark?.startsWith(DAYS[1])) ac.abort(new Error("killed"));
      },
    });
    await expect(run).rejects.toThrow("killed");
    expect(await withClient(url, loadingDays)).toEqual([DAYS[1]]);
    const loaded = await withClient(url, async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${loadingName(DAYS[1])}`)).rows[0].n);
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(PER_DAY);
    // The first day was attached while the second loaded.
    expect(await partitionsOf(url)).toContain(partitionName(DAYS[0]));

    const resumed = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, batchSize: 250 });
    const total = await pumpRows();
    expect(resumed.rows).toBe(total - PER_DAY - loaded);
    expect(await db.requestRecord.count()).toBe(total);
    expect(await withClient(url, loadingDays)).toEqual([]);
  });

  it("attaches a day whose index builds were stopped part-way: the built ones are kept, the rest built, none twice", async () => {
    const { url } = await touchline();
    const day = "2026-11-27";
    await withClient(url, async (c) => {
      await c.query("BEGIN");
      await targetForDay(c, day);
      await c.query("COMMIT");
      await c.query(`INSERT INTO ${loadingName(day)} (source_id, ts, api_id, method, path, status, latency_ms, caller_id, trace_id)
        SELECT i, '${day}'::timestamp + i * interval '1 second', 'orders', 'GET', '/x', 200, 5, 1, CASE WHEN i % 2 = 0 THEN 't' || i END
        FROM generate_series(1, 100) i`);
      // A run stopped after building the primary key's index and one other: no key constraint yet.
      await c.query(`CREATE UNIQUE INDEX ${loadingName(day)}_pkey ON ${loadingName(day)} (ts, source_id)`);
      await c.query(`CREATE INDEX ${loadingName(day)}_caller_id_ts_idx ON ${loadingName(day)} (caller_id, ts)`);
    });
    const [main, helper] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([main.connect(), helper.connect()]);
    try {
      await attachLoadedDay(main, day, helper);
    } finally {
      await Promise.all([main.end(), helper.end()]);
    }
    expect(await partitionsOf(url)).toContain(partitionName(day));
    const attached = await indexesOf(url, partitionName(day));
    expect(attached.primaryKey).toBe(true);
    expect(attached.names).toHaveLength(5);
    for (const name of attached.names) expect(name.startsWith(`${partitionName(day)}_`)).toBe(true);
    // Every index of the parent, built once: the partition's indexes are the parent's partitioned ones.
    const parents = await withClient(url, async (c) => (await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE c.relkind = 'i' AND c.relname LIKE '${partitionName(day)}%'`)).rows[0].n);
    expect(parents).toBe(5);
    const traced = await withClient(url, async (c) => (await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM request_records WHERE endpoint_id IS NULL AND trace_id IS NOT NULL AND ts >= '${day}'`)).rows[0].n);
    expect(traced).toBe(50);
  });

  it("moves rows written without a day partition (into DEFAULT) into the day's partition when it is made", async () => {
    const { url, db } = await touchline();
    await db.requestRecord.createMany({
      data: [
        { sourceId: -1n, ts: new Date("2026-11-25T05:00:00Z"), apiId: "orders", method: "GET", path: "/x", status: 200, latencyMs: 1, callerId: 1 },
        { sourceId: -2n, ts: new Date("2026-11-26T05:00:00Z"), apiId: "orders", method: "GET", path: "/x", status: 200, latencyMs: 1, callerId: 1 },
      ],
    });
    await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url });
    const where = await withClient(url, async (c) =>
      (await c.query<{ source_id: string; part: string }>(
        `SELECT source_id::text, tableoid::regclass::text AS part FROM request_records WHERE path = '/x' ORDER BY ts`,
      )).rows);
    expect(where).toEqual([
      { source_id: "-1", part: partitionName(DAYS[1]) },
      { source_id: "-2", part: partitionName(DAYS[2]) },
    ]);
    expect(await db.requestRecord.count()).toBe((await pumpRows()) + 2);
  });
});
