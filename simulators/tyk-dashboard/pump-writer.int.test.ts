import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { createWorld } from "../world";
import { PUMP_COLUMNS, PUMP_INDEXED_COLUMNS } from "./pump-schema";
import { startPumpWriter } from "./pump-writer";
import { startTykSimulator } from "./server";

const MINUTE = 60_000;
const world = createWorld({ seed: 5 });
let db: FreshDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("pump writer", () => {
  it("creates tyk_analytics as the SQL pump does and backfills the last day", async () => {
    const startedAt = Date.now();
    const writer = await startPumpWriter({ world, databaseUrl: db.url, intervalMs: 3_600_000 });
    await writer.close();
    const cols = await client.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'tyk_analytics' ORDER BY ordinal_position`);
    expect(cols.rows.map((c) => c.column_name)).toEqual(PUMP_COLUMNS.map(([c]) => c));
    expect(cols.rows.find((c) => c.column_name === "timestamp")?.data_type).toBe("timestamp with time zone");
    const idx = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'tyk_analytics'`);
    expect(idx.rows.map((r) => r.indexname).sort()).toEqual(PUMP_INDEXED_COLUMNS.map((c) => `tyk_analytics_idx_${c}`).sort());

    const from = Math.floor((startedAt - 24 * 60 * MINUTE) / MINUTE) * MINUTE;
    const { rows: [{ n, min }] } = await client.query(`SELECT count(*)::int AS n, min("timestamp") AS min FROM tyk_analytics`);
    // Every request up to the writer's first flush, the current minute's so far included.
    expect(writer.writtenUntil()).toBeGreaterThanOrEqual(startedAt);
    expect(n).toBe(world.requestsBetween(from, writer.writtenUntil()).length);
    expect(n).toBeGreaterThan(50_000);
    expect(min.getTime()).toBeGreaterThanOrEqual(from);
  });

  it("writes rows the way the pump does: hashed apikey, JSON tags, latency columns", async () => {
    const during = world.requestsBetween(world.incident.spikeStart.getTime(), world.incident.spikeStart.getTime() + 5 * MINUTE);
    const sample = during.find((r) => r.keyHash === world.incident.culpritKeyHash && r.template === "/orders")!;
    const { rows } = await client.query(`SELECT * FROM tyk_analytics WHERE "timestamp" = $1 AND apikey = $2`,
      [new Date(sample.ts), sample.keyHash]);
    const row = rows.find((r) => JSON.parse(r.tags).includes(`trace-id-${sample.traceId}`));
    expect(row).toBeDefined();
    expect(JSON.parse(row.tags)).toEqual(expect.arrayContaining([`pol-${world.incident.policyId}`, `key-${sample.keyHash}`]));
    expect(row).toMatchObject({ method: "GET", path: "/orders", rawpath: "/orders", apiid: sample.apiId, api_name: "Orders API",
      orgid: world.orgId, alias: "globex-batch", listenpath: "/orders/", ipaddress: sample.ip, useragent: sample.userAgent });
    expect(Number(row.responsecode)).toBe(sample.status);
    expect(Number(row.requesttime)).toBe(sample.latencyMs);
    expect(Number(row.latency_total)).toBe(sample.latencyMs);
    expect(Number(row.latency_upstream) + Number(row.latency_gateway)).toBe(sample.latencyMs);
    expect(row.apikey).not.toBe(sample.rawKey);
  });

  it("is idempotent across restarts and appends new minutes", async () => {
    const count = async () => (await client.query(`SELECT count(*)::int AS n FROM tyk_analytics`)).rows[0].n as number;
    const before = await count();
    const { rows: [{ max }] } = await client.query(`SELECT max("timestamp") AS max FROM tyk_analytics`);
    const writer = await startPumpWriter({ world, databaseUrl: db.url, intervalMs: 3_600_000 });
    await new Promise((r) => setTimeout(r, 1500));
    await writer.flush();
    await writer.close();
    const after = await count();
    // Only requests served since the first run's newest row are added; nothing is written twice.
    const newer = world.requestsBetween(max.getTime() + 1, writer.writtenUntil());
    expect(after - before).toBe(newer.length);
    // A traced request's tags are unique (its trace id); untraced ones (an API with detailed tracing off) may repeat.
    const dupes = await client.query(`SELECT tags, count(*) FROM tyk_analytics WHERE tags::text LIKE '%trace-id-%' GROUP BY tags HAVING count(*) > 1 LIMIT 1`);
    expect(dupes.rows).toEqual([]);
  });

  it("runs inside the simulator with hash_keys off (raw keys in apikey)", async () => {
    const other = await freshDatabase({ migrate: false });
    try {
      const sim = await startTykSimulator({ world, apiKey: "k", analyticsDatabaseUrl: other.url, hashKeys: false });
      await sim.close();
      const c = new pg.Client({ connectionString: other.url });
      await c.connect();
      const { rows } = await c.query(`SELECT apikey, tags FROM tyk_analytics WHERE alias = 'search-indexer' LIMIT 1`);
      await c.end();
      const key = world.stateAt(new Date()).keys.find((k) => k.alias === "search-indexer")!;
      expect(rows[0].apikey).toBe(key.rawKey);
      expect(JSON.parse(rows[0].tags)).toContain(`key-${key.hash}`);
    } finally {
      await other.drop();
    }
  });
});
