// The invariants of every answer (invariants.ts), over generated worlds: any mix of callers moving
// every way with changes of every kind (worldArb, 1,000 worlds), and worlds where everyone merely
// got slower at the same load (flatSlowdownArb, 300 worlds), where no caller may be blamed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attribute } from "./attribute";
import { answerViolations, enforceInvariants } from "./invariants";
import { keyLineage, withLineage } from "./lineage";
import { findTouches } from "./touches";
import { indexTraffic } from "./traffic";
import { expandWorld, flatSlowdownArb, silverByChanceWorld, WORLD_START, worldArb, type WorldSpec } from "./testing/world-generator";
import { MINUTE } from "./testing/synthetic-series";

const CALLER_KINDS = new Set(["key", "identity", "policy", "oauth_client"]);

function answer(spec: WorldSpec) {
  const w = expandWorld(spec);
  const lineage = keyLineage(w.cells, w.windows, w.changes);
  const traffic = indexTraffic(withLineage(w.cells, lineage), w.windows);
  const touches = findTouches(w.changes, traffic, { apiId: "api-shop", start: w.start });
  // Few resamples: the invariants hold for any interval; the bootstrap's width is not under test.
  const v = attribute(traffic, touches.changes, { start: w.start, apiId: "api-shop", iterations: 30, seed: spec.seed });
  return { w, v, touches, lineage };
}

describe("the answer's invariants over generated worlds", () => {
  it("1,000 worlds: no positive share with p99Without ≥ p99With, no noisy neighbour without a load rise, significant means lo > 0, ranked by lo — and the engine never had to correct itself", () => {
    fc.assert(fc.property(worldArb, (spec) => {
      const { v, touches } = answer(spec);
      expect(answerViolations(v)).toEqual([]);
      expect(v.stats.consistencyFixes).toBe(0);
      // A change inside the spike's first minute counts as at its start; one a minute later is after it.
      for (const t of touches.changes) expect(t.afterSpikeStart).toBe(t.change.changedAt >= WORLD_START + MINUTE);
    }), { numRuns: 1000 });
  }, 300_000);

  it("300 worlds where everyone got slower at the same load: the invariants hold, rotated keys are not new, and a verdict naming nobody says nobody did it", () => {
    fc.assert(fc.property(flatSlowdownArb, (spec) => {
      const { v, touches, lineage } = answer(spec);
      expect(answerViolations(v)).toEqual([]);
      const rotated = spec.callers.filter((c) => c.rotatedTo).map((c) => c.rotatedTo!);
      expect(lineage.rotations.map((r) => r.to).sort()).toEqual([...rotated].sort());
      for (const s of touches.shifts) if (rotated.includes(s.id)) expect(s.new).toBe(false);
      if (!v.suspects.length) expect(v.summary).toMatch(/^No caller, key or access change explains this; /);
    }), { numRuns: 300 });
  }, 120_000);

  // Whether a caller stands out is a statistical test (caller-latency.ts standsOut): at 3.5 standard
  // errors per group it named a caller in 3 of 12,000 such worlds, at 3.5 for the family of groups in
  // 0 of 9,000 — rare, not impossible, so "never" over freshly drawn worlds would fail now and then by
  // chance. What is promised is the rate; without the test ~84 % of these worlds name a caller.
  it("1,000 worlds where everyone got slower at the same load: at most 0.5 % name a caller", () => {
    const seed = Date.now() % 2 ** 31;
    const named = fc.sample(flatSlowdownArb, { numRuns: 1000, seed })
      .map((spec) => answer(spec).v.suspects.filter((s) => CALLER_KINDS.has(s.kind)).map((s) => `${s.kind}:${s.id} ${s.mechanism}`))
      .filter((callers) => callers.length > 0);
    expect(named.length, `fc.sample seed ${seed}: ${JSON.stringify(named.slice(0, 5))}`).toBeLessThanOrEqual(5);
  }, 120_000);
});

describe("worlds fast-check once found breaking an invariant", () => {
  it("a share whose interval's lower end rounds to 0 is not significant (seed 621975856, shrunk)", () => {
    const caller = (key: string, identity: string | null, rateB: number, rateI: number, median: number, ownFactorI: number) =>
      ({ key, identity, policies: [], oauth: null, rateB, rateI, rejectedB: 0, rejectedI: 0, median, ownFactorI });
    const spec = {
      seed: 21,
      callers: [
        caller("k-0", null, 2, 0, 1274, 1), caller("k-1", null, 0, 16, 1196, 0.8612096229987809), caller("k-2", null, 21, 0, 20, 1),
        caller("k-3", null, 0, 39, 730, 0.9364676626491667), caller("k-4", "id-c", 0, 37, 1054, 1), caller("k-5", null, 0, 33, 20, 1),
        caller("k-6", "id-c", 25, 25, 20, 1),
      ],
      slowdown: 1, saturation: { at: 20, perRequest: 0.5000000000000008 }, changes: [],
    } as WorldSpec;
    const { v } = answer(spec);
    expect(answerViolations(v)).toEqual([]);
  });
});

describe("worlds where everyone got slower that fast-check once found naming a caller", () => {
  it("a policy whose two keys read a little slower is not blamed: the stand-out test counts the groups it tries (seed 927849392, shrunk)", () => {
    const spec = silverByChanceWorld();
    const { v } = answer(spec);
    expect(answerViolations(v)).toEqual([]);
    expect(v.suspects.filter((s) => CALLER_KINDS.has(s.kind)).map((s) => s.id)).toEqual([]);
  });
});

describe("enforceInvariants", () => {
  it("zeroes a removal share its own percentile contradicts, and a noisy neighbour without a load rise", () => {
    const claims = [
      { point: 0.4, mechanism: "own_latency" as const, without: 900, samples: new Float64Array(3) },
      { point: 0.4, mechanism: "volume" as const, without: 300, samples: null },
      { point: 0.7, mechanism: "noisy_neighbour" as const, without: 1200, samples: null },
      { point: 0.2, mechanism: "enabled_traffic" as const, without: null, samples: null },
    ];
    expect(enforceInvariants(claims, { qIncident: 800, loadRose: false })).toBe(3);
    expect(claims.map((c) => c.point)).toEqual([0, 0.4, 0, 0]);
    expect(claims[0].samples).toBeNull();
  });
});
