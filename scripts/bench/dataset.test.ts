import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "./args";
import { DAY, datasetShape, investigationPairs } from "./dataset";

describe("datasetShape", () => {
  it("is the issue's data set at scale 1", () => {
    expect(datasetShape(1)).toMatchObject({ rows: 10_000_000, days: 30, endpoints: 200, keys: 20_000, policies: 2_000, pairs: 50 });
  });
  it("shortens the period at smaller scales so traffic per minute stays the same", () => {
    const s = datasetShape(0.1);
    expect(s.days).toBe(3);
    expect(s.rows / s.days).toBe(datasetShape(1).rows / 30);
  });
});

describe("investigationPairs", () => {
  it("are distinct busy-endpoint days with the surge inside the window, the same on every call", () => {
    const s = datasetShape(1);
    const pairs = investigationPairs(s);
    expect(pairs).toHaveLength(50);
    expect(new Set(pairs.map((p) => `${p.endpoint}/${p.day}`)).size).toBe(50);
    for (const p of pairs) {
      expect(p.endpoint).toBeLessThan(s.busy);
      expect(p.to - p.from).toBe(DAY);
      expect(p.surgeStart).toBeGreaterThan(p.changeAt);
      expect(p.surgeStart + s.surgeMinutes * 60_000).toBeLessThan(p.to);
    }
    expect(investigationPairs(s)).toEqual(pairs);
    expect(new Set(pairs.map((p) => p.day)).size).toBeGreaterThan(10);
  });
});

describe("parseBenchArgs", () => {
  it("reads scale, phases and options", () => {
    expect(parseBenchArgs(["--scale", "0.05", "--skip", "density,limits,sync,anomalies,page", "--trace-samples", "0"])).toMatchObject({
      scale: 0.05, phases: ["ingest", "investigation"], traceSamples: 0,
    });
    expect(parseBenchArgs([])).toMatchObject({ anomalyEndpoints: 200, anomalyTypes: 20 });
    expect(parseBenchArgs(["--only", "anomalies", "--anomaly-endpoints", "10", "--anomaly-types", "4"])).toMatchObject({
      phases: ["anomalies"], anomalyEndpoints: 10, anomalyTypes: 4,
    });
    expect(() => parseBenchArgs(["--anomaly-types", "1"])).toThrow(/at least 2/);
    expect(parseBenchArgs(["--only", "page", "--no-build"])).toMatchObject({ phases: ["page"], build: false });
    expect(parseBenchArgs(["--only", "limits"]).phases).toEqual(["limits"]);
    expect(() => parseBenchArgs(["--skip", "nope"])).toThrow(/unknown phase/);
    expect(() => parseBenchArgs(["--scale", "-1"])).toThrow(/positive/);
  });
});
