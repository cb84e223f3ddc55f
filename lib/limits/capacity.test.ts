import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baselineP99, capacityText, estimateCapacity, minutesOverObjective } from "./capacity";
import { hockeyStick, syntheticLoad } from "./testing/synthetic";

const curve = { minutes: 2000, minRps: 1, maxRps: 40 };

describe("estimateCapacity", () => {
  it("finds a known knee: p99 crosses 200 ms at 26.7 req/s", () => {
    const c = estimateCapacity(syntheticLoad({ ...curve, p99At: hockeyStick(100, 20, 3) }), { objectiveMs: 200 });
    expect(c.kind).toBe("knee");
    if (c.kind !== "knee") return;
    expect(c.capacityRps).toBeGreaterThan(26.7 * 0.88);
    expect(c.capacityRps).toBeLessThan(26.7 * 1.08);
    expect(c.ciLow).toBeLessThanOrEqual(c.capacityRps);
    expect(c.ciHigh).toBeGreaterThanOrEqual(c.capacityRps);
    // The knee bin is over the objective with confidence; every bin below 20 req/s is well under it.
    expect(c.bins[c.kneeBin].lo).toBeGreaterThan(200);
    for (const b of c.bins.filter((b) => b.toRps <= 20)) expect(b.hi).toBeLessThan(200);
    expect(capacityText(c)).toMatch(/^capacity ≈ \d+(\.\d+)? req\/s at p99 ≤ 200 ms \(90% CI [\d.]+–[\d.]+\)$/);
  });

  it("moves the capacity with the objective: a looser one sits further up the curve", () => {
    const load = syntheticLoad({ ...curve, p99At: hockeyStick(100, 20, 3) });
    const tight = estimateCapacity(load, { objectiveMs: 160 }), loose = estimateCapacity(load, { objectiveMs: 300 });
    if (tight.kind !== "knee" || loose.kind !== "knee") throw new Error(`${tight.kind} ${loose.kind}`);
    expect(loose.capacityRps).toBeGreaterThan(tight.capacityRps);
    // 300 ms is crossed at 33.3 req/s.
    expect(loose.capacityRps).toBeGreaterThan(33.3 * 0.88);
    expect(loose.capacityRps).toBeLessThan(33.3 * 1.08);
  });

  it("says capacity was not reached when p99 never bends, naming the highest rate seen", () => {
    const c = estimateCapacity(syntheticLoad({ ...curve, p99At: () => 100 }), { objectiveMs: 200 });
    expect(c.kind).toBe("not_reached");
    expect(capacityText(c)).toMatch(/^not enough data: p99 stays within 200 ms up to (39|40)(\.\d)? req\/s/);
  });

  it("says what is missing with too few minutes", () => {
    const c = estimateCapacity(syntheticLoad({ ...curve, minutes: 30, p99At: () => 100 }), { objectiveMs: 200 });
    expect(c).toMatchObject({ kind: "not_enough_data", minutes: 30 });
    expect(capacityText(c)).toBe("not enough data: 30 minutes with served requests; need at least 60");
  });

  it("needs minutes at several load levels", () => {
    const c = estimateCapacity(syntheticLoad({ minutes: 200, minRps: 5, maxRps: 5, p99At: () => 100 }), { objectiveMs: 200 });
    expect(c.kind).toBe("not_enough_data");
    expect(capacityText(c)).toMatch(/same load \(5 req\/s\)/);
  });

  it("says the capacity is below the range when even the lightest minutes are over the objective", () => {
    const c = estimateCapacity(syntheticLoad({ ...curve, p99At: () => 400 }), { objectiveMs: 200 });
    expect(c.kind).toBe("below_range");
  });

  it("is reproducible (seeded bootstrap)", () => {
    const load = syntheticLoad({ ...curve, p99At: hockeyStick(100, 20, 3) });
    expect(estimateCapacity(load, { objectiveMs: 200 })).toEqual(estimateCapacity(load, { objectiveMs: 200 }));
  });
});

describe("baselineP99", () => {
  it("reads the quiet half's p99", () => {
    const b = baselineP99(syntheticLoad({ ...curve, p99At: hockeyStick(100, 30, 3) }));
    expect(b).toBeGreaterThan(98);
    expect(b).toBeLessThan(106);
  });
});

describe("capacity properties", () => {
  const knees = fc.record({ knee: fc.integer({ min: 12, max: 28 }), seed: fc.integer({ min: 1, max: 1e6 }) });

  it("monotone rescaling of latency: slower by 1.04^k everywhere with the objective alike gives the same capacity", () => {
    fc.assert(fc.property(knees, fc.integer({ min: 1, max: 30 }), ({ knee, seed }, k) => {
      const base = { ...curve, minutes: 800, p99At: hockeyStick(100, knee, 3), seed };
      const a = estimateCapacity(syntheticLoad(base), { objectiveMs: 200, iterations: 50 });
      const b = estimateCapacity(syntheticLoad({ ...base, binShift: k }), { objectiveMs: 200 * 1.04 ** k, iterations: 50 });
      expect(b.kind).toBe(a.kind);
      if (a.kind === "knee" && b.kind === "knee") {
        expect(b.capacityRps).toBeCloseTo(a.capacityRps, 6);
        expect(b.kneeBin).toBe(a.kneeBin);
      }
    }), { numRuns: 12 });
  });

  it("monotone rescaling of load: c× the requests at the same latencies gives c× the capacity", () => {
    fc.assert(fc.property(knees, fc.integer({ min: 2, max: 9 }), ({ knee, seed }, scale) => {
      const base = { ...curve, minutes: 800, p99At: hockeyStick(100, knee, 3), seed };
      const a = estimateCapacity(syntheticLoad(base), { objectiveMs: 200, iterations: 50 });
      const b = estimateCapacity(syntheticLoad({ ...base, countScale: scale }), { objectiveMs: 200, iterations: 50 });
      expect(b.kind).toBe(a.kind);
      if (a.kind === "knee" && b.kind === "knee") expect(b.capacityRps / scale).toBeCloseTo(a.capacityRps, 6);
    }), { numRuns: 12 });
  });

  it("noise: with ±15 % jitter on every minute's tail the capacity stays near the true crossing", () => {
    fc.assert(fc.property(knees, ({ knee, seed }) => {
      const truth = knee * (1 + 1 / 3); // 1 + 3 (r − knee) / knee = 2
      const c = estimateCapacity(syntheticLoad({ ...curve, p99At: hockeyStick(100, knee, 3), seed, noise: 0.15 }), { objectiveMs: 200, iterations: 80 });
      expect(c.kind).toBe("knee");
      if (c.kind !== "knee") return;
      expect(c.capacityRps).toBeGreaterThan(truth * 0.8);
      expect(c.capacityRps).toBeLessThan(truth * 1.1);
    }), { numRuns: 12 });
  });
});

describe("minutesOverObjective", () => {
  it("picks exactly the minutes whose own p99 is over the objective", () => {
    const load = syntheticLoad({ ...curve, minutes: 300, p99At: hockeyStick(100, 20, 3) });
    const over = new Set(minutesOverObjective(load, 200));
    // Each synthetic minute's p99 is its curve value: over 200 ms only past ~26.7 req/s.
    for (let m = 0; m < load.served.length; m++) {
      const rps = load.served[m] / 60;
      if (rps < 25) expect(over.has(m)).toBe(false);
      if (rps > 29) expect(over.has(m)).toBe(true);
    }
    expect(over.size).toBeGreaterThan(0);
    expect(minutesOverObjective(load, 100_000)).toEqual([]);
  });
});
