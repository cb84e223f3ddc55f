import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { callerIdsFor } from "@/lib/sync/analytics/callers";
import { rebuildAggregates } from "@/lib/sync/analytics/rebuild-aggregates";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { loadKeyMinutes } from "./load-callers";
import { loadKeyDays, withQuotaThrottle } from "./quota-throttle-load";
import type { PolicyLimits, PolicyRecommendation } from "./recommend";

// Seven days of two keys on one endpoint: "kh-flood" calls 100 times a day and floods 5,000
// requests in 50 minutes on the last day; "kh-burst" calls 100 times a day and twice sends 50 in a
// single minute. The quota goes to the flood's policy only, the throttle to the bursts' only.
const MIN = 60_000, DAY = 86_400_000;
const DAY0 = Date.UTC(2026, 11, 1);
const FLOOD = DAY0 + 6 * DAY + 10 * 60 * MIN;
const BURSTS = [DAY0 + 2 * DAY + 13 * 60 * MIN, DAY0 + 4 * DAY + 9 * 60 * MIN];

let fresh: FreshDatabase, client: pg.Client, db: PrismaClient;
const policy = (id: string): PolicyLimits => ({ id, name: id, version: 1, rate: 6000, per: 60, apiIds: ["api-shop"], apiLimit: null, quotaMax: null });
const rec = (policyId: string, key: string): PolicyRecommendation => ({
  policyId, name: policyId, baseVersion: 1, scope: "policy", apiId: "api-shop", current: { rate: 6000, per: 60 }, proposed: { rate: 20, per: 60 },
  change: "lower", keys: [key], floorPerMin: 5, sharePerMin: 20, line: "",
});

beforeAll(async () => {
  fresh = await freshDatabase();
  client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  db = createDb(fresh.url);
  await client.query(`INSERT INTO apis (id, name, listen_path, definition) VALUES ('api-shop', 'Shop API', '/shop/', '{}')`);
  await client.query(`INSERT INTO endpoints (id, api_id, method, path) VALUES ('ep-orders', 'api-shop', 'GET', '/shop/orders')`);
  const [flood, burst] = await callerIdsFor(client, [
    { keyHash: "kh-flood", identityId: null, oauthClientId: null, policyIds: ["pol-flood"] },
    { keyHash: "kh-burst", identityId: null, oauthClientId: null, policyIds: ["pol-burst"] },
  ]);
  // Each key's ordinary day: 100 requests, one every ~14 minutes; then the flood and the bursts.
  const minutes: [number, number, number][] = [];
  for (let d = 0; d < 7; d++) for (let i = 0; i < 100; i++) for (const c of [flood, burst]) minutes.push([DAY0 + d * DAY + i * 14 * MIN, c, 1]);
  for (let m = 0; m < 50; m++) minutes.push([FLOOD + m * MIN, flood, 100]);
  for (const t of BURSTS) minutes.push([t, burst, 50]);
  await client.query(`
    INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, caller_id)
    SELECT row_number() OVER (), to_timestamp((t + j * 1000) / 1000.0) AT TIME ZONE 'UTC', 'ep-orders', 'api-shop', 'GET', '/shop/orders', 200, 50, c
    FROM unnest($1::float8[], $2::int[], $3::int[]) AS x(t, c, n), LATERAL generate_series(0, n - 1) j`,
  [minutes.map((m) => m[0]), minutes.map((m) => m[1]), minutes.map((m) => m[2])]);
  await rebuildAggregates(client);
});

afterAll(async () => {
  await db?.$disconnect();
  await client?.end();
  await fresh?.drop();
});

describe("quota and throttle over the stored aggregates", () => {
  it("reads each key's daily volume per API from the hour aggregates", async () => {
    const days = await loadKeyDays(db, ["kh-flood"], ["api-shop"], DAY0, DAY0 + 7 * DAY);
    expect(days.get("kh-flood api-shop")?.get(DAY0)).toBe(100);
    expect(days.get("kh-flood api-shop")?.get(DAY0 + 6 * DAY)).toBe(5100);
  });

  it("a quota for the flood's policy, a throttle for the short bursts' policy, neither where it does not help", async () => {
    const flood = Array.from({ length: 50 }, (_, m) => FLOOD + m * MIN);
    const [f, b] = await withQuotaThrottle(db, {
      keyMinutes: await loadKeyMinutes(db, "ep-orders", DAY0, DAY0 + 7 * DAY), from: DAY0, to: DAY0 + 7 * DAY, abnormalMinutes: flood,
      policies: [policy("pol-flood"), policy("pol-burst")], recommendations: [rec("pol-flood", "kh-flood"), rec("pol-burst", "kh-burst")],
    });
    // Normal day 100 (p95 of six days) + 50% = 150 per day: the 5,100-request flood day would have been cut by 4,950.
    expect(f.quota).toMatchObject({ quotaMax: 150, quotaRenewalRate: 86_400 });
    expect(f.quota!.line).toMatch(/would have cut its flood day of 5100 by 4950/);
    expect(f.throttle).toBeNull();
    // The bursts' key never exceeds its normal day on the incident's day, so no quota; its two one-minute bursts get a throttle.
    expect(b.quota).toBeNull();
    expect(b.throttle).toMatchObject({ throttleInterval: 5, throttleRetryLimit: 12 });
    expect(b.throttle!.line).toMatch(/2 minutes over 20 per 60 s come in bursts of at most 1 min/);
  });

  it("no quota when the policy's current quota is already tighter", async () => {
    const [f] = await withQuotaThrottle(db, {
      keyMinutes: await loadKeyMinutes(db, "ep-orders", DAY0, DAY0 + 7 * DAY), from: DAY0, to: DAY0 + 7 * DAY, abnormalMinutes: [FLOOD],
      policies: [{ ...policy("pol-flood"), quotaMax: 120 }], recommendations: [rec("pol-flood", "kh-flood")],
    });
    expect(f.quota).toBeNull();
  });
});
