import { describe, expect, it } from "vitest";
import type { InvestigationJson } from "@/lib/investigation/result";
import { parseBenchArgs } from "./args";
import { DAY, MINUTE } from "./dataset";
import { CULPRIT_KEY, SURGE_FACTOR, TIER_WORLD, densityKeyHash, keyShare, stressTraffic, tierTraffic } from "./density";
import { namesCulprit } from "./density-reads";

describe("tierTraffic", () => {
  it("differs between tiers only in the hot endpoint's density (and the culprit's limits, which follow it)", () => {
    const [a, b] = [tierTraffic(1), tierTraffic(100)];
    expect(a.to - a.from).toBe(DAY);
    expect(b).toMatchObject({ world: a.world, from: a.from, to: a.to, backgroundRows: a.backgroundRows });
    expect({ ...b.incident, surgeRows: 0, limitBefore: 0, limitAfter: 0 }).toEqual({ ...a.incident, surgeRows: 0, limitBefore: 0, limitAfter: 0 });
    expect([a.hotRows, b.hotRows]).toEqual([86_400, 8_640_000]);
    expect(b.incident!.surgeRows / a.incident!.surgeRows).toBeCloseTo(100, 0);
  });

  it("plants the surge inside the window, after the raise, past the old limit and within the new one", () => {
    for (const rate of [1, 10, 100]) {
      for (const hours of [2, 24]) {
        const t = tierTraffic(rate, hours);
        const inc = t.incident!;
        expect(inc.changeAt).toBeGreaterThanOrEqual(t.from + 60 * MINUTE);
        expect(inc.surgeStart).toBeGreaterThan(inc.changeAt);
        expect(inc.surgeEnd).toBeLessThan(t.to);
        const share = keyShare(inc.culpritKey, t.world.keys);
        const extraPerMin = (inc.surgeRows / (inc.surgeEnd - inc.surgeStart)) * MINUTE;
        // 5× on the hot endpoint; the limit is the key's, over every endpoint it calls.
        expect((share * t.hotRate * 60 + extraPerMin) / (share * t.hotRate * 60)).toBeCloseTo(SURGE_FACTOR, 1);
        const usualPerMin = share * (t.hotRate + t.backgroundRate) * 60;
        const surgePerMin = usualPerMin + extraPerMin;
        expect(inc.limitBefore).toBeGreaterThan(usualPerMin);
        expect(surgePerMin).toBeGreaterThan(inc.limitBefore);
        expect(surgePerMin).toBeLessThan(inc.limitAfter);
      }
    }
  });
});

describe("keyShare", () => {
  it("is a skewed distribution over the keys: a few heavy callers, a long tail", () => {
    const shares = Array.from({ length: TIER_WORLD.keys }, (_, k) => keyShare(k, TIER_WORLD.keys));
    expect(shares.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    expect(shares[0]).toBeGreaterThan(0.05);
    expect(shares.slice(300).reduce((s, x) => s + x, 0)).toBeLessThan(0.25);
    expect(shares[CULPRIT_KEY]).toBeGreaterThan(0.01);
  });
});

describe("stressTraffic", () => {
  it("is 1,000 req/s over every endpoint, within one day", () => {
    const t = stressTraffic(60);
    expect(t).toMatchObject({ hotRate: 0, backgroundRows: 3_600_000, incident: null });
    expect(Math.floor(t.from / DAY)).toBe(Math.floor((t.to - 1) / DAY));
    expect(() => stressTraffic(1)).toThrow();
  });
});

describe("namesCulprit", () => {
  const t = tierTraffic(1);
  const suspect = (s: Partial<InvestigationJson["suspects"][number]>) => s as InvestigationJson["suspects"][number];
  it("accepts the culprit key, its policy and that policy's change, and nothing else", () => {
    expect(namesCulprit(suspect({ kind: "key", id: densityKeyHash(CULPRIT_KEY) }), t)).toBe(true);
    expect(namesCulprit(suspect({ kind: "policy", id: "bench-pol-2" }), t)).toBe(true);
    expect(namesCulprit(suspect({ kind: "access_change", id: "bench-ac-2-2", changeKind: "policy", targetId: "bench-pol-2" }), t)).toBe(true);
    expect(namesCulprit(suspect({ kind: "key", id: densityKeyHash(20) }), t)).toBe(false);
    expect(namesCulprit(suspect({ kind: "policy", id: "bench-pol-22" }), t)).toBe(false);
    expect(namesCulprit(suspect({ kind: "identity", id: "bench-id-2" }), t)).toBe(false);
  });
});

describe("parseBenchArgs (density)", () => {
  it("reads the density knobs and checks them", () => {
    expect(parseBenchArgs([])).toMatchObject({ densityHours: 24, densityTiers: [1, 10, 100], densityRuns: 5, stressMinutes: 60 });
    expect(parseBenchArgs(["--only", "density", "--density-hours", "2", "--density-tiers", "10,1", "--density-runs", "1", "--stress-minutes", "2"]))
      .toMatchObject({ phases: ["density"], densityHours: 2, densityTiers: [1, 10], densityRuns: 1, stressMinutes: 2 });
    expect(() => parseBenchArgs(["--density-hours", "1"])).toThrow(/between 2 and 24/);
    expect(() => parseBenchArgs(["--density-tiers", "1,1"])).toThrow(/repeat/);
    expect(() => parseBenchArgs(["--stress-minutes", "1"])).toThrow(/between 2/);
  });
});
