import { describe, expect, it } from "vitest";
import { makeSeries, MINUTE } from "@/lib/analysis/testing/synthetic-series";
import { bucketP99, compareRows, pickSlowTrace, summariseSeries, type EndpointListRow, type SlowTrace } from "./endpoints";

const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 20, 0, 0);
const FROM = T0;
const TO = FROM + 24 * HOUR;

describe("bucketP99", () => {
  it("keeps the slowest minute of each bucket and leaves empty buckets null", () => {
    const pts = [0, 1, 2, 10].map((m, i) => ({ ts: m * MINUTE, p50: null, p95: null, p99: [5, 50, 7, 9][i], count: 1, errors: 0 }));
    expect(bucketP99(pts, 0, 12 * MINUTE, 4)).toEqual([50, null, null, 9]);
  });
});

describe("summariseSeries", () => {
  it("finds a spike inside the window and sums volume and errors over the window only", () => {
    const pts = makeSeries({ start: T0, minutes: 25 * 60, levelMs: 100, noise: 0.08, spike: { atMinute: 22 * 60, ratio: 4, minutes: 45 }, seed: 3 })
      .map((p) => ({ ...p, count: 10, errors: 1 }));
    const s = summariseSeries(pts, FROM, TO);
    expect(s.spike).not.toBeNull();
    expect(Math.abs(s.spike!.start - (T0 + 22 * HOUR))).toBeLessThanOrEqual(3 * MINUTE);
    expect(s.spike!.magnitude).toBeGreaterThan(2.5);
    expect(s.requests).toBe(24 * 60 * 10);
    expect(s.errorRate).toBeCloseTo(0.1);
    expect(s.spark).toHaveLength(96);
    expect(s.currentP99).toBeGreaterThan(70);
    expect(s.currentP99).toBeLessThan(140);
  });

  it("reports no spike on a steady series, and nulls with no data", () => {
    const steady = makeSeries({ start: T0, minutes: 24 * 60, levelMs: 100, noise: 0.08, seed: 4 }).map((p) => ({ ...p, count: 10 }));
    expect(summariseSeries(steady, FROM, TO).spike).toBeNull();
    expect(summariseSeries([], FROM, TO)).toMatchObject({ spike: null, currentP99: null, requests: 0, errorRate: null });
  });

  it("does not report a spike that happened before the window", () => {
    const pts = makeSeries({ start: T0 - 2 * HOUR, minutes: 26 * 60, levelMs: 100, noise: 0.08, spike: { atMinute: 30, ratio: 5, minutes: 40 }, seed: 5 })
      .map((p) => ({ ...p, count: 10 }));
    expect(summariseSeries(pts, FROM, TO).spike).toBeNull();
  });
});

describe("pickSlowTrace", () => {
  const ex = (spanId: string, ts: number, durationMs: number): SlowTrace => ({ spanId, traceId: `t${spanId}`, ts, durationMs, keyAlias: null });
  const all = [ex("a", 100, 900), ex("b", 2000, 500), ex("c", 2500, 400)];
  it("prefers the slowest exemplar inside the spike", () => {
    expect(pickSlowTrace(all, { start: 1900, end: 2400, peakMs: 0, baselineMs: 0, magnitude: 2 }, 5000)?.spanId).toBe("b");
  });
  it("falls back to the slowest overall", () => {
    expect(pickSlowTrace(all, null, 5000)?.spanId).toBe("a");
    expect(pickSlowTrace([], null, 5000)).toBeNull();
  });
});

describe("compareRows", () => {
  const row = (id: string, requests: number, spike?: { start: number; magnitude: number }) =>
    ({ id, apiName: "A", path: "/" + id, method: "GET", requests, spike: spike ?? null }) as unknown as EndpointListRow;
  it("puts spiking endpoints first, the most severe first (×21.9 above a later ×1.7), then by volume", () => {
    const rows = [row("quiet-big", 1000), row("big-spike", 5, { start: 100, magnitude: 21.9 }), row("quiet-small", 10), row("small-spike", 1, { start: 200, magnitude: 1.7 })];
    expect(rows.sort(compareRows).map((r) => r.id)).toEqual(["big-spike", "small-spike", "quiet-big", "quiet-small"]);
  });
});
