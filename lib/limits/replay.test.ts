import { describe, expect, it } from "vitest";
import { latencyBin } from "@/lib/analysis/histogram";
import type { TrafficCell } from "@/lib/analysis/types";
import { rejectedPerMinute, replayLimit } from "./replay";

const MIN = 60_000;
const cell = (minute: number, keyHash: string, policyIds: string[], count: number, ms: number): TrafficCell =>
  ({ minute, keyHash, identityId: null, oauthClientId: null, policyIds, count, errors: 0, bins: [latencyBin(ms)], binCounts: [count] });

describe("rejectedPerMinute", () => {
  it("short windows: everything past rate × 60 / per in each minute", () => {
    expect(rejectedPerMinute([0, MIN, 2 * MIN], [10, 130, 60], { rate: 1, per: 1 })).toEqual([0, 70, 0]);
  });
  it("long windows: a minute gets what the window's earlier minutes left", () => {
    // 100 per 5 minutes: 40 + 40 + 40 → the third minute gets 20.
    expect(rejectedPerMinute([0, MIN, 2 * MIN, 5 * MIN], [40, 40, 40, 40], { rate: 100, per: 300 })).toEqual([0, 0, 20, 0]);
  });
});

describe("replayLimit", () => {
  // Ten quiet minutes (steady key, 100 ms) and two slow ones where the partner floods at 2 s.
  const cells: TrafficCell[] = [];
  for (let m = 0; m < 12; m++) {
    cells.push(cell(m * MIN, "kh-std", ["pol-std"], 100, 100));
    cells.push(cell(m * MIN, "kh-partner", ["pol-gold"], m >= 10 ? 300 : 20, m >= 10 ? 2000 : 100));
  }

  it("names the keys turned away, how many and when, and the slow minutes' p99 without them", () => {
    const r = replayLimit(cells, { policyId: "pol-gold", rate: 50, per: 60 }, 500);
    expect(r.keys).toEqual([{ keyHash: "kh-partner", requests: 800, rejected: 500, quotaRejected: 0, delayed: 0, minutes: 2, first: 10 * MIN, last: 11 * MIN }]);
    expect(r.minutes).toEqual([[10 * MIN, 250], [11 * MIN, 250]]);
    expect(r.slow.minutes).toBe(2);
    expect(r.slow.p99!).toBeGreaterThan(1900);
    // 100 steady + 50 partner requests a minute left: 50 of 150 at 2 s is a third, so p99 is still slow;
    // a limit of 1 per minute leaves 1 of 101 slow: p99 falls to the steady key's 100 ms.
    expect(r.slow.p99Without!).toBeGreaterThan(1900);
    const strict = replayLimit(cells, { policyId: "pol-gold", rate: 1, per: 60 }, 500);
    expect(strict.slow.p99Without!).toBeLessThan(110);
    expect(strict.keys[0].rejected).toBe(10 * 19 + 2 * 299);
  });

  it("a limit above every minute's count rejects nothing and leaves p99 as it was", () => {
    const r = replayLimit(cells, { policyId: "pol-gold", rate: 1000, per: 60 }, 500);
    expect(r).toMatchObject({ rejected: 0, minutes: [] });
    expect(r.slow.p99Without).toBe(r.slow.p99);
  });

  it("a quota turns away what the rate let through past it; a throttle serves late what the next minute has room for", () => {
    // 50 a minute lets 10 × 20 + 2 × 50 = 300 through; a quota of 250 per 12 minutes cuts the last 50.
    const quota = replayLimit(cells, { policyId: "pol-gold", rate: 50, per: 60, quotaMax: 250, quotaRenewalRate: 720 }, 500);
    expect(quota.keys[0]).toMatchObject({ rejected: 550, quotaRejected: 50, delayed: 0, first: 10 * MIN, last: 11 * MIN });
    expect(quota).toMatchObject({ rejected: 550, quotaRejected: 50 });
    // The second flood minute's retries land in a minute without requests: half of its 250 rejected retry within 30 s.
    const throttled = replayLimit(cells, { policyId: "pol-gold", rate: 50, per: 60, throttleInterval: 10, throttleRetryLimit: 3 }, 500);
    expect(throttled.keys[0]).toMatchObject({ delayed: 50, rejected: 450 });
    expect(throttled.slow.p99Without!).toBeGreaterThan(1900);
  });

  it("keys of other policies are never touched", () => {
    const r = replayLimit(cells, { policyId: "pol-std", rate: 1000, per: 60 }, 500);
    expect(r.keys.map((k) => k.keyHash)).toEqual(["kh-std"]);
  });
});
