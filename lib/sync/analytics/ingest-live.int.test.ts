// Ingest while Tyk Pump keeps writing: the run must end at the extent it started with, load every
// row up to it, and leave the rest to the next run — never loop, lose or double a row.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPgClient } from "@/lib/pg-client";
import { PUMP_SCHEMA_SQL } from "@/simulators/tyk-dashboard/pump-schema";
import { aggregateMismatches } from "@/tests/helpers/aggregates";
import { freshDatabase, freshDatabases, type FreshDatabase } from "@/tests/helpers/db";
import { ingestAnalytics } from "./ingest";

const SEED_TOUCHLINE = freshDatabases(async (db) => {
  await db.api.create({ data: { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} } });
  await db.endpoint.create({ data: { id: "ep-orders-get", apiId: "orders", method: "GET", path: "/orders/{id}" } });
});

/** Inserts pump rows as Tyk Pump's SQL pump does: one multi-row INSERT per purge, distinct rows. */
class PumpRows {
  written = 0;
  constructor(private readonly c: pg.Client) {}

  /** One purge of `n` rows with timestamps `at` + i × `stepMs` (ms; 0 gives rows sharing one timestamp). */
  async purge(at: Date, n: number, stepMs: number): Promise<void> {
    if (n <= 0) return;
    await this.c.query(
      `INSERT INTO tyk_analytics (timestamp, method, path, rawpath, responsecode, apikey, apiid, orgid, oauthid,
          requesttime, latency_total, latency_upstream, latency_gateway, tags, alias, listenpath, ipaddress, useragent, host)
       SELECT $1::timestamptz + (i * $3::float8) * interval '1 millisecond', 'GET', '/orders/' || ($4::int + i), '/orders/' || ($4::int + i),
              s.code, '', 'orders', 'org1', '', s.ms, s.ms, s.up, 5, '[]', '', '/orders/', '10.0.0.1', 'curl/8', 'gw'
         FROM generate_series(0, $2::int - 1) AS i,
              -- Served (some 5xx), rate-limited and refused requests, latencies over many bins.
              LATERAL (SELECT CASE ($4::int + i) % 17 WHEN 0 THEN 429 WHEN 1 THEN 500 WHEN 2 THEN 403 ELSE 200 END AS code,
                              20 + (($4::int + i) * 37) % 900 AS ms) c,
              LATERAL (SELECT c.code, c.ms, CASE WHEN c.code IN (429, 403) THEN 0 ELSE c.ms - 5 END AS up) s`,
      [at.toISOString(), n, stepMs, this.written],
    );
    this.written += n;
  }

  count(upTo?: string): Promise<number> {
    return this.c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tyk_analytics WHERE $1::timestamptz IS NULL OR "timestamp" <= $1::timestamptz`, [upTo ?? null],
    ).then((r) => r.rows[0].n);
  }
}

async function pumpDatabase(): Promise<{ fresh: FreshDatabase; client: pg.Client; rows: PumpRows }> {
  const fresh = await freshDatabase({ migrate: false });
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  await client.query(PUMP_SCHEMA_SQL);
  return { fresh, client, rows: new PumpRows(client) };
}

const stored = (url: string) =>
  withPgClient(url, async (c) => (await c.query<{ n: number; ids: number }>(
    "SELECT count(*)::int AS n, count(DISTINCT (ts, source_id))::int AS ids FROM request_records")).rows[0]);

/** Fails instead of hanging when a run does not end. */
function withinMs<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

describe("ingest while the pump writes", () => {
  let pump: Awaited<ReturnType<typeof pumpDatabase>>;

  beforeAll(async () => {
    pump = await pumpDatabase();
  });

  afterAll(async () => {
    await SEED_TOUCHLINE.dropAll();
    await pump?.client.end();
    await pump?.fresh.drop();
  });

  it("ends at its starting extent while a writer keeps inserting current rows, and the next run loads the rest", async () => {
    const { url, db } = await SEED_TOUCHLINE.create();
    // An hour of history, then a writer purging 50 current rows every 20 ms for as long as ingest runs.
    const start = Date.now();
    await pump.rows.purge(new Date(start - 3_600_000), 3000, 1000);
    const writer = new pg.Client({ connectionString: pump.fresh.url });
    await writer.connect();
    const live = new PumpRows(writer);
    live.written = 1_000_000; // distinct paths from the history's
    let writing = true;
    let purges = 0;
    const writing$ = (async () => {
      while (writing) {
        await live.purge(new Date(), 50, 0.1);
        purges++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      const res = await withinMs(30_000, "ingest with a live writer",
        ingestAnalytics({ db, databaseUrl: url, sourceUrl: pump.fresh.url, batchSize: 200, maxWindowMs: 600_000 }));
      expect(res.batches).toBeGreaterThan(5);
      // The writer wrote during the run, so the pump now holds rows past the run's extent.
      expect(purges).toBeGreaterThan(0);
      const upToExtent = await pump.rows.count(res.watermark!);
      expect(await pump.rows.count()).toBeGreaterThan(upToExtent);
      expect(res.read).toBeGreaterThanOrEqual(upToExtent);
      expect(await stored(url)).toEqual({ n: upToExtent, ids: upToExtent });
    } finally {
      writing = false;
      await writing$;
      await writer.end();
    }
    const next = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: pump.fresh.url, batchSize: 200 });
    const total = await pump.rows.count();
    expect(next.rows).toBeGreaterThan(0);
    expect(await stored(url)).toEqual({ n: total, ids: total });
    // The per-minute and per-hour aggregates written beside the rows are those of exactly the rows stored.
    expect(await aggregateMismatches(url)).toEqual([]);
    expect(await db.endpointHour.count()).toBeGreaterThanOrEqual(1);
  });
});

// One step of a world in which Tyk Pump and ingest interleave.
type Step =
  | { kind: "purge"; n: number; stepMs: number; lateMs: number }
  | { kind: "ingest"; batchSize: number; maxWindowMs: number; duringRun: { n: number; stepMs: number }[] };

const purgeArb = fc.record({
  n: fc.integer({ min: 1, max: 120 }),
  // 0: rows sharing timestamps; large steps cross minutes (and, with the clock below, days).
  stepMs: fc.constantFrom(0, 1, 250, 60_000, 900_000),
  // How far behind the writer's clock a purge lands: 0, or a late gateway within the look-back.
  lateMs: fc.constantFrom(0, 0, 0, 30_000, 90_000),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  purgeArb.map((p) => ({ kind: "purge" as const, ...p })),
  fc.record({
    batchSize: fc.integer({ min: 1, max: 400 }),
    maxWindowMs: fc.constantFrom(1_000, 60_000, 3_600_000, 86_400_000),
    duringRun: fc.array(fc.record({ n: fc.integer({ min: 1, max: 60 }), stepMs: fc.constantFrom(0, 1, 1000) }), { maxLength: 4 }),
  }).map((r) => ({ kind: "ingest" as const, ...r })),
);

describe("property: any interleaving of pump purges and ingest runs", () => {
  it("loads every row written exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        const pumpDb = await pumpDatabase();
        const touchline = freshDatabases(async (db) => {
          await db.api.create({ data: { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} } });
          await db.endpoint.create({ data: { id: "ep-orders-get", apiId: "orders", method: "GET", path: "/orders/{id}" } });
        });
        try {
          const { url, db } = await touchline.create();
          // The writer's clock starts just before a UTC midnight and moves forward with every purge.
          let clock = Date.parse("2026-12-06T23:50:00Z");
          const purge = async (n: number, stepMs: number, lateMs = 0) => {
            await pumpDb.rows.purge(new Date(clock - lateMs), n, stepMs);
            clock += Math.max(1, n * stepMs) + 1;
          };
          for (const step of steps) {
            if (step.kind === "purge") {
              await purge(step.n, step.stepMs, step.lateMs);
              continue;
            }
            // Purges that land while the run is between batches, as a live pump's would.
            const pending = [...step.duringRun];
            await withinMs(60_000, "ingest", ingestAnalytics({
              db, databaseUrl: url, sourceUrl: pumpDb.fresh.url, batchSize: step.batchSize, maxWindowMs: step.maxWindowMs,
              onProgress: async () => {
                const p = pending.shift();
                if (p) await purge(p.n, p.stepMs);
              },
            }));
            for (const p of pending.splice(0)) await purge(p.n, p.stepMs);
          }
          await withinMs(60_000, "final ingest", ingestAnalytics({ db, databaseUrl: url, sourceUrl: pumpDb.fresh.url }));
          const written = pumpDb.rows.written;
          expect(await stored(url)).toEqual({ n: written, ids: written });
          expect(await aggregateMismatches(url)).toEqual([]);
        } finally {
          await touchline.dropAll();
          await pumpDb.client.end();
          await pumpDb.fresh.drop();
        }
      }),
      { numRuns: Number(process.env.INGEST_PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  }, 600_000);
});
