import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPgClient as withClient } from "@/lib/pg-client";
import { PUMP_SCHEMA_SQL } from "@/simulators/tyk-dashboard/pump-schema";
import { freshDatabase, freshDatabases, type FreshDatabase } from "@/tests/helpers/db";
import { ingestAnalytics } from "./ingest";
import { applyRetention } from "./retention";

const DAYS = ["2026-11-24", "2026-11-25", "2026-11-26"];
const PER_DAY = 300;

describe("retention and the raw horizon", () => {
  let source: FreshDatabase;
  const touchlines = freshDatabases(async (db) => {
    await db.api.create({ data: { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} } });
    await db.endpoint.create({ data: { id: "ep-orders-get", apiId: "orders", method: "GET", path: "/orders/{id}" } });
  });

  beforeAll(async () => {
    source = await freshDatabase({ migrate: false });
    await withClient(source.url, async (c) => {
      await c.query(PUMP_SCHEMA_SQL);
      await c.query(
        `INSERT INTO tyk_analytics (timestamp, method, path, responsecode, apikey, apiid, requesttime, latency_upstream, tags, listenpath)
         SELECT d::timestamptz + (i * interval '4 minutes'), 'GET', '/orders/' || i, 200, '', 'orders', 50 + i % 30, 40, '[]', '/orders/'
         FROM unnest($1::text[]) AS d, generate_series(0, $2::int - 1) AS i`,
        [DAYS.map((d) => `${d} 00:00:00+00`), PER_DAY]);
    });
  });

  afterAll(async () => {
    await touchlines.dropAll();
    await source?.drop();
  });

  const count = (url: string, sql: string) => withClient(url, async (c) => (await c.query<{ n: number }>(sql)).rows[0].n);
  const perDay = (url: string, table: string, col: string) => withClient(url, async (c) =>
    (await c.query<{ day: string; n: number }>(`SELECT to_char(${col}, 'YYYY-MM-DD') AS day,
        ${table === "endpoint_hours" ? "sum((SELECT sum(x) FROM unnest(minute_requests) x))"
          : table === "endpoint_caller_minutes" ? "sum((SELECT sum(x) FROM unnest(caller_counts) x))" : "count(*)"}::int AS n
      FROM ${table} GROUP BY 1 ORDER BY 1`)).rows);

  it("keeps only the aggregates and the sample of days before the raw horizon, and the records of the days after it", async () => {
    const { url, db } = await touchlines.create();
    const res = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, rawFrom: new Date(`${DAYS[2]}T00:00:00Z`) });
    expect(res.read).toBe(3 * PER_DAY);
    expect(res.rows).toBe(PER_DAY);
    expect(await perDay(url, "request_records", "ts")).toEqual([{ day: DAYS[2], n: PER_DAY }]);
    expect(await perDay(url, "endpoint_hours", "hour")).toEqual(DAYS.map((day) => ({ day, n: PER_DAY })));
    // The days before it keep their investigation sample (every row: 300 requests a day are not sampled).
    expect(await perDay(url, "request_samples", "ts")).toEqual(DAYS.slice(0, 2).map((day) => ({ day, n: PER_DAY })));
    expect(await perDay(url, "endpoint_caller_minutes", "hour")).toEqual(DAYS.map((day) => ({ day, n: PER_DAY })));
  });

  it("drops whole expired day partitions, keeping their sample, and deletes expired aggregates", async () => {
    const { url, db } = await touchlines.create();
    await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url });
    const result = await withClient(url, (c) => applyRetention(c, { rawDays: 2, aggregateDays: 3 }, new Date(`${DAYS[2]}T12:00:00Z`)));
    expect(result).toEqual({ droppedDays: [DAYS[0]], aggregateRowsDeleted: 0 });
    expect(await perDay(url, "request_records", "ts")).toEqual(DAYS.slice(1).map((day) => ({ day, n: PER_DAY })));
    expect(await count(url, "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'request_records_p20261124'")).toBe(0);
    expect(await perDay(url, "endpoint_hours", "hour")).toHaveLength(3);
    // The dropped day's investigation sample is kept (here every row: 300 requests a day are not sampled).
    expect(await perDay(url, "request_samples", "ts")).toEqual([{ day: DAYS[0], n: PER_DAY }]);

    const later = await withClient(url, (c) => applyRetention(c, { rawDays: 2, aggregateDays: 2 }, new Date(`${DAYS[2]}T12:00:00Z`)));
    expect(later.droppedDays).toEqual([]);
    expect(later.aggregateRowsDeleted).toBeGreaterThan(0);
    expect((await perDay(url, "endpoint_hours", "hour")).map((r) => r.day)).toEqual(DAYS.slice(1));
    expect(await perDay(url, "request_samples", "ts")).toEqual([]);
    expect((await perDay(url, "endpoint_caller_minutes", "hour")).map((r) => r.day)).toEqual(DAYS.slice(1));
  });
});
