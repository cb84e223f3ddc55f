import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedPumpTable } from "@/tests/helpers/pump-table";
import { freshDatabase, freshDatabases, type FreshDatabase } from "@/tests/helpers/db";
import { withPgClient } from "@/lib/pg-client";
import { ingestAnalytics } from "./ingest";
import { countStoredRecords } from "./partitions";
import { sha256Hex } from "./transform";

const N = 2400;
const KNOWN_HASH = sha256Hex("known-key");
const RAW_KEY = "5e9d9544a1dcd60001d0ed20rawkey0001";

// Pump rows as the SQL pump writes them (the simulator's DDL, itself the GORM model's). Rows come
// in threes sharing one timestamp, so batches must not split equal timestamps; a third of
// the rows carry a raw key (no hash_keys), a third a known hash, a third no key; the orders API
// records paths with the listen path stripped.
async function seedPump(url: string): Promise<void> {
  await seedPumpTable(
    url,
    `SELECT timestamptz '2026-11-26 00:00:00+00' + (i / 3) * interval '1.000123 second',
            'GET', '/' || (i % 97), '/' || (i % 97), CASE WHEN i % 40 = 0 THEN 500 ELSE 200 END,
            CASE i % 3 WHEN 0 THEN $1 WHEN 1 THEN $2 ELSE '' END,
            'orders', 'org1', '', 100 + i % 50, 100 + i % 50, 90, 10,
            CASE i % 3 WHEN 0 THEN json_build_array('pol-gold', 'key-' || $1, 'trace-id-' || lpad(to_hex(i), 32, '0'))::text
                       ELSE '[]' END,
            'alias', '/orders/', '10.0.0.' || (i % 7), 'curl/8', 'gw'
     FROM generate_series(1, $3::int) AS i`,
    [KNOWN_HASH, RAW_KEY, N],
  );
}

async function seedTouchline(db: PrismaClient): Promise<void> {
  await db.api.create({ data: { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} } });
  await db.endpoint.create({ data: { id: "ep-orders-get", apiId: "orders", method: "GET", path: "/orders/{id}" } });
  const identity = await db.identity.create({ data: { kind: "service", externalId: "globex-batch", name: "globex-batch" } });
  await db.key.create({ data: { keyHash: KNOWN_HASH, identityId: identity.id, snapshot: {} } });
}

describe("ingestAnalytics", () => {
  let source: FreshDatabase;
  const touchlines = freshDatabases(seedTouchline);
  const touchline = () => touchlines.create();

  const count = async (db: PrismaClient) => db.requestRecord.count();

  beforeAll(async () => {
    source = await freshDatabase({ migrate: false });
    await seedPump(source.url);
  });

  afterAll(async () => {
    await touchlines.dropAll();
    await source?.drop();
  });

  it("ingests every row in batches, resolving endpoint, identity, policies and trace ids", async () => {
    const { url, db } = await touchline();
    const res = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, batchSize: 500 });
    expect(res.read).toBe(N);
    expect(res.rows).toBe(N);
    expect(res.batches).toBeGreaterThanOrEqual(5);
    expect(await count(db)).toBe(N);
    expect(res.watermark).toMatch(/^2026-11-26 00:13:20\.\d+\+00$/);

    // Three callers, stored once each: the known key (with its identity and policy), the raw key
    // (as its sha256: no raw key is stored; the Dashboard never listed it, so its identity comes
    // from the records' alias) and the anonymous caller.
    const callers = await db.requestCaller.findMany({ orderBy: { id: "asc" } });
    expect(callers).toHaveLength(3);
    const knownCaller = callers.find((c) => c.keyHash === KNOWN_HASH)!;
    expect(knownCaller.identityId).not.toBeNull();
    expect(knownCaller.policyIds).toEqual(["gold"]);
    expect(callers.find((c) => c.keyHash === RAW_KEY)).toBeUndefined();
    const aliasIdentity = await db.identity.findUniqueOrThrow({ where: { externalId: "alias" } });
    expect(callers.find((c) => c.keyHash === sha256Hex(RAW_KEY))).toMatchObject({ identityId: aliasIdentity.id, oauthClientId: null, policyIds: [] });
    expect(await db.pumpKey.findMany()).toMatchObject([{ keyHash: sha256Hex(RAW_KEY), alias: "alias", identityId: aliasIdentity.id }]);
    expect(callers.find((c) => c.keyHash === null)).toMatchObject({ identityId: null, oauthClientId: null, policyIds: [] });
    const callerOf = (keyHash: string | null) => callers.find((c) => c.keyHash === keyHash)!.id;

    const known = await db.requestRecord.findMany({ where: { callerId: knownCaller.id } });
    expect(known).toHaveLength(N / 3);
    expect(known.every((r) => r.endpointId === "ep-orders-get" && /^[0-9a-f]{32}$/.test(r.traceId ?? ""))).toBe(true);
    expect(await db.requestRecord.count({ where: { callerId: callerOf(sha256Hex(RAW_KEY)) } })).toBe(N / 3);
    expect(await db.requestRecord.count({ where: { callerId: callerOf(null) } })).toBe(N / 3);
    expect(await db.requestRecord.count({ where: { status: 500 } })).toBe(N / 40);

    const state = await db.syncState.findUnique({ where: { name: "analytics" } });
    expect(state?.value).toEqual({ ts: res.watermark });
  });

  it("adds nothing when run again, and picks up late rows within the lookback", async () => {
    const { url, db } = await touchline();
    await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, batchSize: 700 });
    const again = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, batchSize: 700 });
    expect(again.rows).toBe(0);
    expect(await count(db)).toBe(N);

    // A pump flushing late writes a row older than the watermark.
    const c = new pg.Client({ connectionString: source.url });
    await c.connect();
    await c.query(
      `INSERT INTO tyk_analytics (timestamp, method, path, responsecode, apikey, apiid, requesttime, tags, listenpath)
       SELECT max(timestamp) - interval '30 seconds', 'GET', '/orders/late', 200, '', 'orders', 5, '[]', '/orders/' FROM tyk_analytics`,
    );
    await c.end();
    const late = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url });
    expect(late.rows).toBe(1);
    expect(await count(db)).toBe(N + 1);
  });

  it("resumes after an abort mid-way and ends with the same rows", async () => {
    const reference = await touchline();
    await ingestAnalytics({ db: reference.db, databaseUrl: reference.url, sourceUrl: source.url, batchSize: 400 });

    const { url, db } = await touchline();
    const ac = new AbortController();
    const aborted = ingestAnalytics({
      db,
      databaseUrl: url,
      sourceUrl: source.url,
      batchSize: 400,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.batches === 2) ac.abort(new Error("killed"));
      },
    });
    await expect(aborted).rejects.toThrow("killed");
    // Committed so far, in the day's loading table (attached when the resumed run ends).
    const partial = await withPgClient(url, countStoredRecords);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(await count(reference.db));

    const resumed = await ingestAnalytics({ db, databaseUrl: url, sourceUrl: source.url, batchSize: 400 });
    expect(resumed.rows).toBe((await count(reference.db)) - partial);
    const ids = async (d: PrismaClient) =>
      (await d.requestRecord.findMany({ select: { sourceId: true }, orderBy: { sourceId: "asc" } })).map((r) => r.sourceId);
    expect(await ids(db)).toEqual(await ids(reference.db));
    // Every row names a stored caller, each tuple stored once.
    expect(await db.requestCaller.count()).toBe(3);
    const orphans = await withPgClient(url, (c) => c.query("SELECT 1 FROM request_records r WHERE NOT EXISTS (SELECT 1 FROM request_callers c WHERE c.id = r.caller_id)"));
    expect(orphans.rowCount).toBe(0);
  });

  it("refuses a databaseUrl that is not the db's database", async () => {
    const a = await touchline();
    const b = await touchline();
    await expect(ingestAnalytics({ db: a.db, databaseUrl: b.url, sourceUrl: source.url })).rejects.toThrow(/different databases/);
  });
});
