import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recommendLimits, type CallerPeak, type PolicyLimits, type RecommendInput } from "./recommend";

const policy = (id: string, rate: number | null, per: number | null, apiIds = ["api-shop"]): PolicyLimits =>
  ({ id, name: id.replace("pol-", ""), version: 3, rate, per, apiIds, apiLimit: null });
const caller = (keyHash: string, policyIds: string[], p95PerMin: number, requests = p95PerMin * 1000): CallerPeak =>
  ({ keyHash, label: keyHash, policyIds, requests, p95PerMin });
const base = (over: Partial<RecommendInput>): RecommendInput =>
  ({ capacityRps: 10, headroom: 0.8, apiId: "api-shop", apiName: "Shop API", callers: [], policies: [], ...over });
const perMin = (l: { rate: number; per: number }) => (l.rate * 60) / l.per;

describe("recommendLimits", () => {
  it("lowers a generous policy so its top keys' bursts fit the headroom, and explains it with its numbers", () => {
    const [r] = recommendLimits(base({
      policies: [policy("pol-gold", 6000, 60)],
      callers: [caller("kh-a", ["pol-gold"], 40), caller("kh-b", ["pol-gold"], 20)],
    }));
    // 80 % of 10 req/s = 480/min over 2 keys whose busiest normal peak is 40/min: 240/min each.
    expect(r).toMatchObject({ policyId: "pol-gold", change: "lower", scope: "policy", proposed: { rate: 240, per: 60 }, baseVersion: 3 });
    expect(r.line).toBe("gold: 6000 per 60 s → 240 per 60 s — 2 top keys share 80% of capacity 10 req/s = 480/min by normal peaks");
  });

  it("never goes below a key's own normal peak, and says so", () => {
    const [r] = recommendLimits(base({ capacityRps: 1, policies: [policy("pol-gold", 6000, 60)], callers: [caller("kh-a", ["pol-gold"], 100)] }));
    expect(perMin(r.proposed)).toBe(100);
    expect(r.line).toMatch(/held at its busiest key's normal peak 100\/min \(p95, 7 days\), above the 48\/min share/);
  });

  it("keeps a limit that is already tight enough (never raises one)", () => {
    const [r] = recommendLimits(base({ policies: [policy("pol-std", 10, 1)], callers: [caller("kh-a", ["pol-std"], 30)] }));
    // 10 per 1 s = 600/min > 480/min → lowered to 480/min, in a one-minute window (the evidence is per minute).
    expect(r.proposed).toEqual({ rate: 480, per: 60 });
    const [keep] = recommendLimits(base({ policies: [policy("pol-std", 2, 1)], callers: [caller("kh-a", ["pol-std"], 30)] }));
    expect(keep).toMatchObject({ change: "none", proposed: { rate: 2, per: 1 } });
    expect(keep.line).toMatch(/^std: keep 2 per 1 s/);
  });

  it("limits on the endpoint's API only when the policy reaches other APIs", () => {
    const [r] = recommendLimits(base({ policies: [policy("pol-gold", 6000, 60, ["api-shop", "api-billing"])], callers: [caller("kh-a", ["pol-gold"], 10)] }));
    expect(r.scope).toBe("api");
    expect(r.line).toMatch(/on Shop API only/);
  });

  it("a key is governed by its most generous policy", () => {
    const recs = recommendLimits(base({ policies: [policy("pol-gold", 6000, 60), policy("pol-std", 10, 60)], callers: [caller("kh-a", ["pol-std", "pol-gold"], 5)] }));
    expect(recs.map((r) => r.policyId)).toEqual(["pol-gold"]);
  });

  it("an unlimited policy gets a limit", () => {
    const [r] = recommendLimits(base({ policies: [policy("pol-open", null, null)], callers: [caller("kh-a", ["pol-open"], 5)] }));
    expect(r).toMatchObject({ change: "lower", current: null, proposed: { rate: 480, per: 60 } });
  });
});

describe("recommendation bounds (property)", () => {
  const arb = fc.record({
    capacityRps: fc.double({ min: 0.5, max: 500, noNaN: true }),
    headroom: fc.double({ min: 0.1, max: 1, noNaN: true }),
    policies: fc.array(fc.record({ rate: fc.integer({ min: 1, max: 100_000 }), per: fc.constantFrom(1, 10, 60, 3600) }), { minLength: 1, maxLength: 4 }),
    callers: fc.array(fc.record({ p: fc.nat({ max: 3 }), peak: fc.double({ min: 0.5, max: 5000, noNaN: true }), requests: fc.integer({ min: 1, max: 1e7 }) }), { minLength: 1, maxLength: 15 }),
  });

  it("never below any top key's normal peak; never above the current limit; the bursts fit the budget whenever the peaks do", () => {
    fc.assert(fc.property(arb, (a) => {
      const policies = a.policies.map((p, i) => policy(`pol-${i}`, p.rate, p.per));
      const callers = a.callers.map((c, i) => caller(`kh-${i}`, [`pol-${c.p % policies.length}`], c.peak, c.requests));
      const input = base({ capacityRps: a.capacityRps, headroom: a.headroom, policies, callers, topKeys: 10 });
      const recs = recommendLimits(input);
      const byKey = new Map(callers.map((c) => [c.keyHash, c]));
      let bursts = 0, peaks = 0;
      for (const r of recs) {
        const allowed = perMin(r.proposed);
        for (const k of r.keys) expect(allowed).toBeGreaterThanOrEqual(Math.min(byKey.get(k)!.p95PerMin, perMin(r.current!)) - 1e-9);
        expect(allowed).toBeLessThanOrEqual(perMin(r.current!) + 1e-9);
        bursts += r.keys.length * allowed;
        peaks += r.keys.length * r.floorPerMin;
        // Rounding up to a whole request per window adds at most 60/per per minute per key.
        bursts -= r.keys.length * (r.change === "lower" ? 60 / r.proposed.per : 0);
      }
      const budget = a.headroom * a.capacityRps * 60;
      if (peaks <= budget) expect(bursts).toBeLessThanOrEqual(budget + 1e-6);
    }), { numRuns: 300 });
  });
});
