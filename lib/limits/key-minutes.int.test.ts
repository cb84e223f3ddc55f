import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";
import { ingestAnalytics } from "@/lib/sync/analytics/ingest";
import { rebuildAggregates, rebuildEndpointAggregates } from "@/lib/sync/analytics/rebuild-aggregates";
import { sha256Hex } from "@/lib/sync/analytics/transform";
import { seedPumpTable } from "@/tests/helpers/pump-table";
import { aggregateMismatches } from "@/tests/helpers/aggregates";
import { freshDatabase, freshDatabases, type FreshDatabase } from "@/tests/helpers/db";
import { callerPeaks, overLimitMinutes } from "./key-minutes";
import { loadKeyMinutes } from "./load-callers";

// Three hours of one endpoint's traffic through the real ingest, in batches of 500 rows, so every
// hour arrives in several batches and is merged with its stored aggregate row. Per minute m:
// "alpha" (a listed key) 5 + m % 7 requests; "batch" (listed, named by its identity) 2 + m % 3
// and a flood of 60 in minutes 100–104; "rejected" 3, one of them a 429 every fourth minute; a key
// the Dashboard never listed 1 every other minute, its policies changing at minute 90 (two callers,
// one key); anonymous callers 2.
const T0 = Date.UTC(2026, 10, 26);
const MIN = 60_000;
const ENDPOINT = "ep-orders-get";
const K = { alpha: sha256Hex("alpha-key"), batch: sha256Hex("batch-key"), rejected: sha256Hex("rejected-key") };
const RAW_KEY = "5e9d9544a1dcd60001d0ed20rawkey0002";
const FLOOD = [100, 101, 102, 103, 104].map((m) => T0 + m * MIN);

async function seedPump(url: string): Promise<void> {
  await seedPumpTable(
    url,
    `SELECT timestamptz '2026-11-26 00:00:00+00' + m * interval '1 minute' + (k * 0.011 + j * 0.71) * interval '1 second',
            'GET', '/' || (j % 13), '/' || (j % 13), CASE WHEN k = 2 AND j = 0 AND m % 4 = 0 THEN 429 ELSE 200 END,
            CASE k WHEN 0 THEN $1 WHEN 1 THEN $2 WHEN 2 THEN $3 WHEN 3 THEN $4 ELSE '' END,
            'orders', 'org1', '', 40 + (m * 7 + j) % 90, 40 + (m * 7 + j) % 90,
            CASE WHEN k = 2 AND j = 0 AND m % 4 = 0 THEN 0 ELSE 30 END, 10,
            CASE WHEN k = 3 THEN CASE WHEN m < 90 THEN '["pol-x"]' ELSE '["pol-x","pol-y"]' END ELSE '[]' END,
            CASE WHEN k = 3 THEN 'raw-svc' ELSE '' END, '/orders/', '10.0.0.' || k, 'curl/8', 'gw'
     FROM generate_series(0, 179) m, generate_series(0, 4) k,
          LATERAL generate_series(0, CASE k WHEN 0 THEN 5 + m % 7 WHEN 1 THEN 2 + m % 3 + CASE WHEN m BETWEEN 100 AND 104 THEN 60 ELSE 0 END
                                            WHEN 2 THEN 3 WHEN 3 THEN (m + 1) % 2 ELSE 2 END - 1) j`,
    [K.alpha, K.batch, K.rejected, RAW_KEY],
  );
}

async function seedTouchline(db: PrismaClient): Promise<void> {
  await db.api.create({ data: { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} } });
  await db.endpoint.create({ data: { id: ENDPOINT, apiId: "orders", method: "GET", path: "/orders/{id}" } });
  const identity = await db.identity.create({ data: { kind: "service", externalId: "batch-svc", name: "batch-svc" } });
  await db.key.create({ data: { keyHash: K.alpha, alias: "alpha", policyIds: ["pol-gold"], snapshot: {} } });
  await db.key.create({ data: { keyHash: K.batch, identityId: identity.id, policyIds: ["pol-std"], snapshot: {} } });
  await db.key.create({ data: { keyHash: K.rejected, last4: "jctd", policyIds: ["pol-std"], snapshot: {} } });
}

// The loaders' raw-record SQL before the caller-minute aggregate existed: the oracle.
async function rawCallerPeaks(db: PrismaClient, from: number, to: number, abnormalMinutes: number[]) {
  const abnormal = Prisma.sql`ARRAY[${abnormalMinutes.length ? Prisma.join(abnormalMinutes.map((t) => at(t))) : Prisma.empty}]::timestamp[]`;
  const rows = await readRows<{ key_hash: string; label: string | null; policy_ids: string[]; requests: number; p95: number }>(db, Prisma.sql`
    WITH per_minute AS (
      SELECT c.key_hash, date_trunc('minute', r.ts) AS minute, count(*)::float8 AS n, max(c.policy_ids) AS policy_ids
      FROM request_records r JOIN request_callers c ON c.id = r.caller_id
      WHERE r.endpoint_id = ${ENDPOINT} AND r.ts >= ${at(from)} AND r.ts < ${at(to)} AND c.key_hash IS NOT NULL
      GROUP BY c.key_hash, minute)
    SELECT m.key_hash, COALESCE(k.alias, i.name, i.email, '…' || k.last4) AS label,
           COALESCE(k.policy_ids, max(m.policy_ids)) AS policy_ids,
           sum(m.n)::float8 AS requests,
           COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY m.n) FILTER (WHERE m.minute <> ALL(${abnormal})), 0)::float8 AS p95
    FROM per_minute m LEFT JOIN keys k ON k.key_hash = m.key_hash LEFT JOIN identities i ON i.id = k.identity_id
    GROUP BY m.key_hash, k.alias, i.name, i.email, k.last4, k.policy_ids
    ORDER BY requests DESC, m.key_hash`);
  return rows.map((r) => ({ keyHash: r.key_hash, label: r.label ?? `…${r.key_hash.slice(-4)}`, policyIds: r.policy_ids, requests: r.requests, p95PerMin: r.p95 }));
}

async function rawOverLimitMinutes(db: PrismaClient, limits: Map<string, number>, from: number, to: number) {
  const out = new Map<string, number[]>([...limits.keys()].map((k) => [k, []]));
  const rows = await readRows<{ key_hash: string; minute: number }>(db, Prisma.sql`
    WITH lim AS (SELECT * FROM unnest(${[...limits.keys()]}::text[], ${[...limits.values()]}::float8[]) AS l(key_hash, per_min))
    SELECT c.key_hash, (extract(epoch FROM date_trunc('minute', r.ts)) * 1000)::float8 AS minute
    FROM lim JOIN request_callers c ON c.key_hash = lim.key_hash
    JOIN request_records r ON r.caller_id = c.id AND r.endpoint_id = ${ENDPOINT} AND r.ts >= ${at(from)} AND r.ts < ${at(to)}
    GROUP BY c.key_hash, 2, lim.per_min HAVING count(*) > lim.per_min ORDER BY 2`);
  for (const r of rows) out.get(r.key_hash)!.push(r.minute);
  return out;
}

// Whole window, a window cut mid-hour at both ends, and one inside a single hour.
const WINDOWS = [[T0, T0 + 180 * MIN], [T0 + 30 * MIN, T0 + 170 * MIN], [T0 + 95 * MIN, T0 + 110 * MIN]] as const;
const LIMITS = new Map([[K.alpha, 9], [K.batch, 4], [K.rejected, 2], [sha256Hex(RAW_KEY), 0], ["kh-none", 1]]);

describe("the limits panel's per-key minutes from endpoint_caller_minutes", () => {
  let source: FreshDatabase, url: string, db: PrismaClient;
  const touchlines = freshDatabases(seedTouchline);

  const expectSameAsRaw = async () => {
    for (const [from, to] of WINDOWS) {
      const keys = await loadKeyMinutes(db, ENDPOINT, from, to);
      for (const abnormal of [[], FLOOD]) expect(callerPeaks(keys, abnormal)).toEqual(await rawCallerPeaks(db, from, to, abnormal));
      expect(overLimitMinutes(keys, LIMITS)).toEqual(await rawOverLimitMinutes(db, LIMITS, from, to));
    }
  };

  beforeAll(async () => {
    source = await freshDatabase({ migrate: false });
    await seedPump(source.url);
    ({ url, db } = await touchlines.create());
    const res = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, batchSize: 500 });
    expect(res.batches).toBeGreaterThanOrEqual(6);
  });

  afterAll(async () => {
    await touchlines.dropAll();
    await source?.drop();
  });

  it("ingest writes, batch by batch, exactly the caller minutes of the stored records", async () => {
    expect(await aggregateMismatches(url)).toEqual([]);
    expect(await db.endpointCallerMinute.count()).toBe(3);
  });

  it("gives the same normal peaks and over-limit minutes as the raw records, abnormal minutes and rejections included", async () => {
    const peaks = callerPeaks(await loadKeyMinutes(db, ENDPOINT, T0, T0 + 180 * MIN), FLOOD);
    // The world is what it says: the flood is out of the batch key's peak, the never-listed key is one key over two callers.
    expect(peaks.map((p) => p.label)).toEqual(["alpha", "batch-svc", "…jctd", `…${sha256Hex(RAW_KEY).slice(-4)}`]);
    expect(peaks.find((p) => p.keyHash === K.batch)).toMatchObject({ requests: 3 * 180 + 300, p95PerMin: 4 });
    expect(peaks.find((p) => p.keyHash === sha256Hex(RAW_KEY))).toMatchObject({ requests: 90, policyIds: ["x", "y"] });
    await expectSameAsRaw();
  });

  it("stays the same after the aggregates are rebuilt from the records (replaceHours), whole or per endpoint", async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query("DELETE FROM endpoint_caller_minutes");
      await rebuildAggregates(c);
      expect(await aggregateMismatches(url)).toEqual([]);
      await expectSameAsRaw();
      await c.query("BEGIN");
      await rebuildEndpointAggregates(c, ENDPOINT, { from: T0 + 60 * MIN, to: T0 + 120 * MIN });
      await c.query("COMMIT");
      expect(await aggregateMismatches(url)).toEqual([]);
      await expectSameAsRaw();
    } finally {
      await c.end();
    }
  });
});
