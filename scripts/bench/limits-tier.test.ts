import { describe, expect, it } from "vitest";
import { DAY } from "./dataset";
import { BURST_MINUTES, BURST_PEAKS, CYCLE_HIGH_RPS, CYCLE_LOW_RPS, LIMITS_DAYS, burstStart, limitsMinuteCounts, limitsTraffic } from "./limits-tier";

describe("the limits tier's load", () => {
  const counts = limitsMinuteCounts();

  it("covers the panel's 7 days minute by minute, cycling daily between its low and high outside the bursts", () => {
    expect(counts).toHaveLength(LIMITS_DAYS * 1440);
    const t = limitsTraffic();
    expect(t.to - t.from).toBe(LIMITS_DAYS * DAY);
    expect(t.hotRows).toBe(counts.reduce((a, b) => a + b, 0));
    expect(counts[0]).toBe(60 * CYCLE_LOW_RPS);
    expect(counts[720]).toBe(60 * CYCLE_HIGH_RPS);
    expect(counts[1440 + 720]).toBe(60 * CYCLE_HIGH_RPS);
  });

  it("bursts once a day, at a different time, up to that day's peak and back down", () => {
    const starts = BURST_PEAKS.map((_, d) => burstStart(d));
    expect(new Set(starts.map((s) => s % 1440)).size).toBe(LIMITS_DAYS);
    BURST_PEAKS.forEach((peak, d) => {
      const burst = [...counts.subarray(starts[d], starts[d] + BURST_MINUTES)];
      expect(Math.max(...burst) / 60).toBeGreaterThan(0.95 * peak);
      expect(burst[0]).toBeLessThan(burst[BURST_MINUTES / 2]);
      expect(burst[BURST_MINUTES - 1]).toBeLessThan(burst[BURST_MINUTES / 2]);
      expect(Math.max(...burst) / 60).toBeLessThanOrEqual(peak);
      expect(Math.floor(starts[d] / 1440)).toBe(d);
    });
  });

  it("scales every rate for smoke runs, keeping the shape", () => {
    const small = limitsMinuteCounts(0.05);
    expect(small[720]).toBe(Math.round(0.05 * 60 * CYCLE_HIGH_RPS));
    const top = burstStart(0) + BURST_MINUTES / 2;
    expect(small[top] / counts[top]).toBeCloseTo(0.05, 2);
    expect(limitsTraffic(0.05).hotRows).toBeLessThan(limitsTraffic().hotRows / 15);
  });
});
