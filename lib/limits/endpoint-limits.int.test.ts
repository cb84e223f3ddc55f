import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { loadEndpointLimits } from "./endpoint-limits";
import { replayEndpointLimit } from "./replay-endpoint";
import { saveLimitSettings } from "./settings";
import { seedLoadScenario, type LoadScenario } from "./testing/seed-load";

const NOW = Date.UTC(2026, 11, 7, 12, 0);

describe("loadEndpointLimits over stored aggregates and request records", () => {
  let fresh: FreshDatabase, client: pg.Client, db: PrismaClient, s: LoadScenario;

  beforeAll(async () => {
    fresh = await freshDatabase();
    client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    s = await seedLoadScenario(client, { to: NOW - 60_000 });
    db = createDb(fresh.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await client?.end();
    await fresh?.drop();
  });

  it("finds the knee at the default objective (2 × baseline p99) and recommends limits for both policies", async () => {
    const r = await loadEndpointLimits(db, s.endpointId, NOW);
    expect(r.objectiveSource).toBe("default");
    expect(r.baselineP99!).toBeGreaterThan(90);
    expect(r.baselineP99!).toBeLessThan(110);
    expect(r.capacity?.kind).toBe("knee");
    if (r.capacity?.kind !== "knee") return;
    // 80 req/min = 1.33 req/s where p99 crosses 200 ms.
    expect(r.capacity.capacityRps).toBeGreaterThan(1.1);
    expect(r.capacity.capacityRps).toBeLessThan(1.45);
    expect(r.capacityText).toMatch(/^capacity ≈ 1\.\d+ req\/s at p99 ≤ \d+ ms \(90% CI/);
    // The partner's normal peak is its ordinary 10–19/min, not its floods.
    const partner = r.callers.find((c) => c.keyHash === s.floodKey)!;
    expect(partner.p95PerMin).toBeGreaterThanOrEqual(18);
    expect(partner.p95PerMin).toBeLessThan(40);
    const gold = r.recommendations.find((x) => x.policyId === "pol-gold")!;
    expect(gold).toMatchObject({ change: "lower", scope: "policy", baseVersion: 2, current: { rate: 6000, per: 60 } });
    expect(gold.proposed.rate).toBeGreaterThanOrEqual(Math.ceil(partner.p95PerMin));
    expect(gold.proposed.rate).toBeLessThan(80);
    expect(r.recommendations.find((x) => x.policyId === "pol-std")?.proposed.rate).toBeLessThan(100);
    // The partner floods every day for 20 minutes: no normal day to set a quota by, and no short bursts to throttle.
    expect(gold).toMatchObject({ quota: null, throttle: null });
  });

  it("replays a recommended limit: only the partner is turned away, in its floods, and the slow minutes' p99 falls", async () => {
    const r = await loadEndpointLimits(db, s.endpointId, NOW);
    const gold = r.recommendations.find((x) => x.policyId === "pol-gold")!;
    const replay = await replayEndpointLimit(db, s.endpointId, { policyId: "pol-gold", rate: gold.proposed.rate, per: gold.proposed.per, days: 7 }, NOW);
    expect(replay.keys.map((k) => k.keyHash)).toEqual([s.floodKey]);
    expect(replay.labels[s.floodKey]).toBe("partner-sync");
    const partner = replay.keys[0];
    expect(partner.rejected).toBeGreaterThan(500);
    // Every rejected minute is in a flood (minutes 300–319 of each 480).
    for (const [ts] of replay.minutes) expect(((ts - s.from) / 60_000) % 480).toBeGreaterThanOrEqual(300);
    expect(replay.slow.minutes).toBeGreaterThan(0);
    expect(replay.slow.p99Without!).toBeLessThan(replay.slow.p99!);
    // At the load left, the endpoint's own curve says p99 is back near its baseline.
    expect(replay.p99AtReducedLoad!).toBeLessThan(r.objectiveMs!);
    // The steady keys' policy at the recommendation rejects nothing of their 3 req/min.
    const std = r.recommendations.find((x) => x.policyId === "pol-std")!;
    expect((await replayEndpointLimit(db, s.endpointId, { policyId: "pol-std", rate: std.proposed.rate, per: std.proposed.per, days: 7 }, NOW)).rejected).toBe(0);
  });

  it("replays a quota and a throttle with the rate: past-quota requests and late ones are counted apart", async () => {
    // The policy's own rate (6,000 a minute) cuts nothing; 1,000 an hour cuts the partner's flood hours only.
    const quota = await replayEndpointLimit(db, s.endpointId, { policyId: "pol-gold", rate: 6000, per: 60, quotaMax: 1000, quotaRenewalRate: 3600, days: 7 }, NOW);
    expect(quota.keys.filter((k) => k.rejected > 0).map((k) => k.keyHash)).toEqual([s.floodKey]);
    expect(quota.quotaRejected).toBeGreaterThan(0);
    expect(quota.rejected).toBe(quota.quotaRejected);
    // A throttle serves late some of what the rate alone rejects, and never more.
    const r = await loadEndpointLimits(db, s.endpointId, NOW);
    const gold = r.recommendations.find((x) => x.policyId === "pol-gold")!;
    const limit = { policyId: "pol-gold", rate: gold.proposed.rate, per: gold.proposed.per, days: 7 };
    const plain = await replayEndpointLimit(db, s.endpointId, limit, NOW);
    const throttled = await replayEndpointLimit(db, s.endpointId, { ...limit, throttleInterval: 10, throttleRetryLimit: 6 }, NOW);
    expect(throttled.delayed).toBeGreaterThan(0);
    expect(throttled.rejected + throttled.delayed).toBe(plain.rejected);
  });

  it("reads the admin's objective: a looser one moves the capacity up", async () => {
    const before = await loadEndpointLimits(db, s.endpointId, NOW);
    await saveLimitSettings(db, s.endpointId, { objectiveMs: 300, headroom: 0.5 }, "admin@acme.test");
    const after = await loadEndpointLimits(db, s.endpointId, NOW);
    expect(after).toMatchObject({ objectiveMs: 300, objectiveSource: "admin", settings: { headroom: 0.5, updatedBy: "admin@acme.test" } });
    if (before.capacity?.kind !== "knee" || after.capacity?.kind !== "knee") throw new Error("no knee");
    expect(after.capacity.capacityRps).toBeGreaterThan(before.capacity.capacityRps);
  });

  it("says what is missing for an endpoint without traffic", async () => {
    await client.query(`INSERT INTO endpoints (id, api_id, method, path) VALUES ('ep-empty', $1, 'GET', '/shop/empty')`, [s.apiId]);
    const r = await loadEndpointLimits(db, "ep-empty", NOW);
    expect(r.capacity).toBeNull();
    expect(r.recommendations).toEqual([]);
    expect(r.note).toMatch(/not enough data/);
  });
});
