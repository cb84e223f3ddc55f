import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { benjaminiHochberg, median, medianAndSpread, mulberry32, mulberry32Index, normalSf, weightedSlope } from "./stats";
import { histQuantile, latencyBin, BIN_COUNT } from "./histogram";

describe("stats", () => {
  it("median and robust spread ignore an outlier", () => {
    expect(median([5, 1, 3])).toBe(3);
    const { level, spread } = medianAndSpread([10, 11, 9, 10, 1000]);
    expect(level).toBe(10);
    expect(spread).toBeCloseTo(1.4826, 3);
  });

  it("median selects exactly the value a sort-based median gives (duplicates, NaN, ±0, prefixes)", () => {
    const bySort = (xs: number[], n: number) => {
      const a = Float64Array.from(xs.slice(0, n)).sort();
      return n === 0 ? NaN : n % 2 ? a[n >> 1] : (a[(n >> 1) - 1] + a[n >> 1]) / 2;
    };
    const values = fc.array(fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), fc.constant(-0)), { maxLength: 200 });
    fc.assert(fc.property(values, fc.nat(), (xs, cut) => {
      const n = xs.length ? cut % (xs.length + 1) : 0;
      const copy = [...xs];
      expect(Object.is(median(xs, n), bySort(xs, n))).toBe(true);
      expect(xs).toEqual(copy);
    }), { numRuns: 3000 });
  });

  it("normalSf matches known values", () => {
    expect(normalSf(0)).toBeCloseTo(0.5, 6);
    expect(normalSf(1.6449)).toBeCloseTo(0.05, 4);
    expect(normalSf(-1.96)).toBeCloseTo(0.975, 4);
  });

  it("Benjamini–Hochberg matches a worked example", () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.5]).map((q) => +q.toFixed(4))).toEqual([0.04, 0.0533, 0.0533, 0.5]);
  });

  it("mulberry32 is reproducible and seed-dependent", () => {
    const a = mulberry32(7), b = mulberry32(7), c = mulberry32(8);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
  });

  it("weightedSlope recovers a line and honours zero weights", () => {
    expect(weightedSlope([1, 2, 3, 4], [3, 5, 7, 100], [1, 1, 1, 0])).toBeCloseTo(2, 9);
  });
});

describe("histogram", () => {
  it("percentiles from log bins are within ~2% of the exact ones", () => {
    const rand = mulberry32(1);
    const xs = Array.from({ length: 20000 }, () => 50 * Math.exp(rand() * 4));
    const h = new Float64Array(BIN_COUNT);
    for (const x of xs) h[latencyBin(x)]++;
    const sorted = [...xs].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.floor(q * sorted.length)];
      expect(Math.abs(histQuantile(h, null, xs.length, q) - exact) / exact).toBeLessThan(0.02);
    }
  });

  it("subtracting a sub-histogram gives the percentile of the rest", () => {
    const h = new Float64Array(BIN_COUNT), sub = new Float64Array(BIN_COUNT);
    h[latencyBin(100)] = 90; h[latencyBin(2000)] = 10; sub[latencyBin(2000)] = 10;
    expect(histQuantile(h, null, 100, 0.99)).toBeGreaterThan(1900);
    expect(histQuantile(h, sub, 90, 0.99)).toBeLessThan(105);
  });
});

describe("mulberry32Index", () => {
  it("draws floor(mulberry32() · n), the same sequence", () => {
    for (const seed of [1, 7, 0x9e3779b9, -5]) {
      const rand = mulberry32(seed), index = mulberry32Index(seed);
      for (let i = 0; i < 5000; i++) {
        const n = 1 + (i % 1500);
        expect(index(n)).toBe(Math.floor(rand() * n));
      }
    }
  });
});
