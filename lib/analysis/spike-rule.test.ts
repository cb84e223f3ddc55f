import { describe, expect, it } from "vitest";
import { detectLatestSpike, detectSpikes } from "./spike";
import { compareSpikeSeverity, isReportableSpike, belowRuleReason, SPIKE_RULE } from "./spike-rule";
import { MINUTE, T0, makeSeries } from "./testing/synthetic-series";

describe("spike rule", () => {
  it("reports a large, lasting rise; refuses a small drift and an ended blip; keeps an ongoing one", () => {
    expect(isReportableSpike({ start: T0, end: T0 + 30 * MINUTE, sustainedRatio: 4 })).toBe(true);
    expect(isReportableSpike({ start: T0, end: T0 + 300 * MINUTE, sustainedRatio: 1.3 })).toBe(false);
    expect(isReportableSpike({ start: T0, end: T0 + MINUTE, sustainedRatio: 2.1 })).toBe(false);
    expect(isReportableSpike({ start: T0, end: T0 + (SPIKE_RULE.minEndedMinutes - 1) * MINUTE, sustainedRatio: 3 })).toBe(true);
    expect(isReportableSpike({ start: T0, sustainedRatio: 2.1 })).toBe(true);
    expect(belowRuleReason({ start: T0, end: T0 + 300 * MINUTE, sustainedRatio: 1.3 })).toMatch(/×1\.30 .*×1\.5/);
    expect(belowRuleReason({ start: T0, end: T0 + MINUTE, sustainedRatio: 2.1 })).toMatch(/under 5 minutes/);
    expect(belowRuleReason({ start: T0, sustainedRatio: 2.1 })).toBeNull();
  });

  it("the detector applies it: a ×1.3 shift for an hour is no spike, a ×1.7 one is", () => {
    const drift = makeSeries({ minutes: 400, seed: 4, noise: 0.03, spike: { atMinute: 300, ratio: 1.3, minutes: 60 } });
    expect(detectLatestSpike(drift).kind).toBe("none");
    const rise = makeSeries({ minutes: 400, seed: 4, noise: 0.03, spike: { atMinute: 300, ratio: 1.7, minutes: 60 } });
    expect(detectLatestSpike(rise)).toMatchObject({ kind: "spike", start: T0 + 300 * MINUTE });
  });

  it("the detector drops a high minute or two that ends at once", () => {
    const base = makeSeries({ minutes: 400, seed: 9, noise: 0.03 });
    const blip = base.map((p) => (p.ts >= T0 + 300 * MINUTE && p.ts < T0 + 303 * MINUTE ? { ...p, p99: p.p99! * 4 } : p));
    expect(detectSpikes(blip).spikes).toEqual([]);
    const lasting = base.map((p) => (p.ts >= T0 + 300 * MINUTE && p.ts < T0 + 330 * MINUTE ? { ...p, p99: p.p99! * 4 } : p));
    expect(detectSpikes(lasting).spikes).toHaveLength(1);
  });

  it("ranks by rise over baseline, then the more recent", () => {
    const spikes = [{ magnitude: 1.7, start: 300 }, { magnitude: 21.9, start: 100 }, { magnitude: 1.7, start: 400 }];
    expect(spikes.sort(compareSpikeSeverity)).toEqual([{ magnitude: 21.9, start: 100 }, { magnitude: 1.7, start: 400 }, { magnitude: 1.7, start: 300 }]);
  });
});

describe("no spike, and why", () => {
  it("says what the rule turned down", () => {
    const drift = makeSeries({ minutes: 400, seed: 4, noise: 0.03, spike: { atMinute: 300, ratio: 1.3, minutes: 60 } });
    const r = detectLatestSpike(drift);
    expect(r.kind === "none" && r.reason).toMatch(/^p99 rose only ×1\.\d\d over its baseline, below the ×1\.5 a spike needs \(a wobble, not a spike\)$/);
  });
});
