import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { longestRun, p95, recommendQuota, recommendThrottle, type KeyVolume } from "./quota-throttle";

const MIN = 60_000;
const key = (keyHash: string, normalDays: number[], incidentDay: number): KeyVolume => ({ keyHash, normalDays, incidentDay });

describe("recommendQuota", () => {
  it("sets a daily quota at the busiest key's normal day + 50% when that would have capped the flood, and explains it", () => {
    const q = recommendQuota([key("kh-a", [1000, 1100, 900, 1000, 1050, 980], 40_000), key("kh-b", [200, 210, 190, 205, 200, 198], 300)], null);
    // p95 of kh-a's six normal days = 1087.5 → × 1.5 = 1631.25 → 1632.
    expect(q).toMatchObject({ quotaMax: 1632, quotaRenewalRate: 86_400 });
    expect(q!.line).toBe("quota 1,632 per day — its busiest key's normal day 1088 (p95 of 6 days) + 50%; would have cut its flood day of 40000 by 38368");
  });

  it("sets none when the quota would not have capped any key's incident day", () => {
    expect(recommendQuota([key("kh-a", [1000, 1000, 1000], 1400)], null)).toBeNull();
  });

  it("sets none without a normal day to judge by, or when the current quota is already tighter", () => {
    expect(recommendQuota([key("kh-a", [], 40_000)], null)).toBeNull();
    expect(recommendQuota([key("kh-a", [1000], 40_000)], 1200)).toBeNull();
    expect(recommendQuota([key("kh-a", [1000], 40_000)], 100_000)).toMatchObject({ quotaMax: 1500 });
  });

  it("is never below any key's normal day (property)", () => {
    const day = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(fc.property(fc.array(fc.record({ normalDays: fc.array(day, { minLength: 1, maxLength: 7 }), incidentDay: day }), { minLength: 1, maxLength: 6 }), (ks) => {
      const keys = ks.map((k, i) => key(`kh-${i}`, k.normalDays, k.incidentDay));
      const q = recommendQuota(keys, null);
      if (!q) return;
      for (const k of keys) expect(q.quotaMax).toBeGreaterThanOrEqual(p95(k.normalDays));
      expect(Math.max(...keys.map((k) => k.incidentDay))).toBeGreaterThan(q.quotaMax);
    }));
  });
});

describe("recommendThrottle", () => {
  const t0 = Date.UTC(2026, 11, 1, 12);
  it("throttles when over-limit minutes are isolated (runs ≤ 2), and says Tyk queues and retries", () => {
    const over = new Map([["kh-a", [t0, t0 + MIN, t0 + 90 * MIN]], ["kh-b", [t0 + 300 * MIN]]]);
    const t = recommendThrottle(over, { rate: 240, per: 60 });
    expect(t).toMatchObject({ throttleInterval: 5, throttleRetryLimit: 12 });
    expect(t!.line).toBe("throttle: retry every 5 s up to 12 times — its keys' 4 minutes over 240 per 60 s come in bursts of at most 2 min, so Tyk queues and retries them (up to 60 s later) instead of answering 429 at once");
  });

  it("does not throttle a sustained flood, nor keys never over the limit", () => {
    expect(recommendThrottle(new Map([["kh-a", [t0, t0 + MIN, t0 + 2 * MIN]]]), { rate: 240, per: 60 })).toBeNull();
    expect(recommendThrottle(new Map([["kh-a", []]]), { rate: 240, per: 60 })).toBeNull();
    expect(recommendThrottle(new Map(), { rate: 240, per: 60 })).toBeNull();
  });

  it("counts runs of consecutive minutes", () => {
    expect(longestRun([t0 + 2 * MIN, t0, t0 + MIN, t0 + 5 * MIN])).toBe(3);
    expect(longestRun([])).toBe(0);
  });
});
