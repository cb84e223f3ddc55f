import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEndpointLimits } from "@/lib/limits/endpoint-limits";
import { replayEndpointLimit } from "@/lib/limits/replay-endpoint";
import { startSeededWorld, type SeededWorld } from "./helpers/seeded-world";

// The demo's loop starts here: the seeded day's GET /orders gives a capacity, and partner-gold's
// recommendation cuts the batch export's flood. The culprit key called GET /orders only in the
// flood — minutes the endpoint was over its objective — so it has no normal traffic to protect there.
describe("limits for the seeded incident's endpoint", () => {
  let s: SeededWorld;
  beforeAll(async () => {
    s = await startSeededWorld({ backfillMs: 24 * 3_600_000 });
  }, 600_000);
  afterAll(async () => s?.close());

  it("recommends a partner-gold limit that turns the flood away and leaves the other keys' normal peaks alone", async () => {
    const ep = (await s.db.endpoint.findFirst({ where: { method: "GET", path: { endsWith: "/orders" } } }))!;
    const r = await loadEndpointLimits(s.db, ep.id);
    expect(r.capacity?.kind).toBe("knee");
    const culprit = r.callers.find((c) => c.keyHash === s.world.incident.culpritKeyHash)!;
    expect(culprit.requests).toBeGreaterThan(1000);
    expect(culprit.p95PerMin).toBe(0);
    const indexer = r.callers.find((c) => c.label === "search-indexer")!;
    expect(indexer.p95PerMin).toBeGreaterThan(20);

    const gold = r.recommendations.find((x) => x.policyId === s.world.incident.policyId)!;
    expect(gold.change).toBe("lower");
    expect(gold.proposed.rate * (60 / gold.proposed.per)).toBeLessThan(10);
    const replay = await replayEndpointLimit(s.db, ep.id, { policyId: gold.policyId, rate: gold.proposed.rate, per: gold.proposed.per, days: 7 });
    expect(replay.keys.map((k) => k.keyHash)).toEqual([culprit.keyHash]);
    expect(replay.keys[0].rejected / culprit.requests).toBeGreaterThan(0.9);
    // Its slow minutes without the refused requests: lower, and by the endpoint's own rate curve (a drained
    // queue speeds everyone up) back within the objective.
    expect(replay.slow.p99Without!).toBeLessThan(replay.slow.p99!);
    expect(replay.p99AtReducedLoad!).toBeLessThanOrEqual(r.objectiveMs!);
  });
});
