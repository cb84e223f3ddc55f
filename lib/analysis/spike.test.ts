import { describe, expect, it } from "vitest";
import { detectLatestSpike, detectSpike, detectSpikes, windowsForSpike } from "./spike";
import { MINUTE, T0, makeSeries } from "./testing/synthetic-series";

describe("detectSpike", () => {
  it("says none for a noisy flat series with lone outliers (null case)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = makeSeries({ minutes: 240, noise: 0.15, outliers: 0.02, seed });
      const r = detectSpike(s);
      expect(r.kind, `seed ${seed}`).toBe("none");
    }
  });

  it("finds a step with start = first bucket of the shift, not the alarm", () => {
    const s = makeSeries({ minutes: 240, noise: 0.1, spike: { atMinute: 150, ratio: 3, minutes: 40 }, seed: 7 });
    const r = detectSpike(s);
    expect(r.kind).toBe("spike");
    if (r.kind !== "spike") return;
    expect(r.start).toBe(T0 + 150 * MINUTE);
    expect(r.alarmAt).toBeGreaterThan(r.start);
    expect(r.end).toBeGreaterThanOrEqual(T0 + 187 * MINUTE);
    expect(r.end).toBeLessThanOrEqual(T0 + 190 * MINUTE);
    expect(r.baseline.level).toBeGreaterThan(100);
    expect(r.baseline.level).toBeLessThan(145);
    expect(r.magnitude).toBeGreaterThan(2.5);
    expect(r.sustainedRatio).toBeGreaterThan(2.5);
  });

  it("finds a gradual ramp and dates it near where the ramp began", () => {
    const s = makeSeries({ minutes: 240, noise: 0.08, spike: { atMinute: 120, ratio: 4, minutes: 80, rampMinutes: 10 }, seed: 3 });
    const r = detectSpike(s);
    expect(r.kind).toBe("spike");
    if (r.kind === "spike") {
      expect(r.start).toBeGreaterThanOrEqual(T0 + 119 * MINUTE);
      expect(r.start).toBeLessThanOrEqual(T0 + 124 * MINUTE);
    }
  });

  it("reports an ongoing spike without an end", () => {
    const s = makeSeries({ minutes: 200, spike: { atMinute: 180, ratio: 2.5, minutes: 100 }, seed: 11 });
    const r = detectLatestSpike(s);
    expect(r.kind).toBe("spike");
    if (r.kind === "spike") expect(r.end).toBeUndefined();
  });

  it("handles a sparse series (70% of minutes missing)", () => {
    const none = makeSeries({ minutes: 600, keep: 0.3, noise: 0.12, seed: 5 });
    expect(detectSpike(none).kind).toBe("none");
    const spiky = makeSeries({ minutes: 600, keep: 0.3, noise: 0.12, spike: { atMinute: 400, ratio: 3, minutes: 60 }, seed: 5 });
    const r = detectSpike(spiky);
    expect(r.kind).toBe("spike");
    if (r.kind === "spike") {
      expect(r.start).toBeGreaterThanOrEqual(T0 + 400 * MINUTE);
      expect(r.start).toBeLessThanOrEqual(T0 + 410 * MINUTE);
    }
  });

  it("finds a spike in a 24 h window loaded with an hour of history (25 h, too short for a seasonal profile)", () => {
    const s = makeSeries({ minutes: 1500, noise: 0.15, seed: 4, spike: { atMinute: 60 + 360, ratio: 8, minutes: 45 } });
    const r = detectSpike(s, { from: T0 + 60 * MINUTE });
    expect(r.kind).toBe("spike");
    if (r.kind === "spike") expect(r.baseline.seasonal).toBe(false);
  });

  it("does not call a daily batch window a spike once a day of history exists (seasonal)", () => {
    // Every day 02:00–03:00 the p99 triples (nightly batch). Analyse day 3 only.
    const daily = (mod: number) => (mod >= 120 && mod < 180 ? 3 : 1);
    const s = makeSeries({ minutes: 3 * 1440, noise: 0.1, daily, seed: 9 });
    const from = T0 + 2 * 1440 * MINUTE;
    expect(detectSpikes(s, { from }).spikes).toHaveLength(0);
    // The same data without the seasonal profile does raise the nightly batch: the profile is what helps.
    expect(detectSpikes(s, { from, seasonal: false }).spikes.length).toBeGreaterThan(0);
    // And a real spike on day 3 is still found on top of the seasonal pattern.
    const withSpike = makeSeries({ minutes: 3 * 1440, noise: 0.1, daily, seed: 9, spike: { atMinute: 2 * 1440 + 600, ratio: 3, minutes: 30 } });
    const r = detectSpike(withSpike, { from });
    expect(r.kind).toBe("spike");
    if (r.kind === "spike") {
      expect(r.baseline.seasonal).toBe(true);
      expect(r.start).toBe(T0 + (2 * 1440 + 600) * MINUTE);
    }
  });

  it("says none when there is too little data, and ignores low-count minutes", () => {
    expect(detectSpike([]).kind).toBe("none");
    const s = makeSeries({ minutes: 120, spike: { atMinute: 90, ratio: 5, minutes: 20 }, seed: 2 });
    for (const p of s) if (p.ts >= T0 + 90 * MINUTE) p.count = 1;
    expect(detectSpike(s).kind).toBe("none");
  });

  it("detectSpike picks the largest; detectLatestSpike the last", () => {
    const a = makeSeries({ minutes: 400, seed: 4, spike: { atMinute: 100, ratio: 5, minutes: 20 } });
    const b = makeSeries({ minutes: 400, seed: 4, spike: { atMinute: 300, ratio: 2, minutes: 20 } });
    const merged = a.map((p, i) => (p.ts >= T0 + 250 * MINUTE ? b[i] : p));
    const biggest = detectSpike(merged);
    const latest = detectLatestSpike(merged);
    expect(biggest.kind === "spike" && biggest.start).toBe(T0 + 100 * MINUTE);
    expect(latest.kind === "spike" && latest.start).toBe(T0 + 300 * MINUTE);
  });

  it("detectLatestSpike does not let a minor after-shock hide the incident", () => {
    const a = makeSeries({ minutes: 400, seed: 4, spike: { atMinute: 100, ratio: 20, minutes: 45 } });
    const b = makeSeries({ minutes: 400, seed: 4, spike: { atMinute: 300, ratio: 1.7, minutes: 40 } });
    const merged = a.map((p, i) => (p.ts >= T0 + 250 * MINUTE ? b[i] : p));
    const scan = detectSpikes(merged);
    expect(scan.spikes.length).toBe(2);
    const latest = detectLatestSpike(merged);
    expect(latest.kind === "spike" && latest.start).toBe(T0 + 100 * MINUTE);
  });

  it("windowsForSpike leaves a guard gap before t0 and caps I", () => {
    const w = windowsForSpike(
      { kind: "spike", metric: "p99", start: T0 + 100 * MINUTE, alarmAt: 0, peak: 0, peakValue: 1, baseline: { level: 1, spread: 1, seasonal: false }, magnitude: 2, sustainedRatio: 2 },
      { baselineMinutes: 60, guardMinutes: 5, maxIncidentMinutes: 30 },
    );
    expect(w.baseline).toEqual({ from: T0 + 35 * MINUTE, to: T0 + 95 * MINUTE });
    expect(w.incident).toEqual({ from: T0 + 100 * MINUTE, to: T0 + 130 * MINUTE });
  });
});
