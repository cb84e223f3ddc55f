import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { quotaRejected, throttleRetries } from "./replay-quota";

const MIN = 60_000;

describe("throttleRetries", () => {
  it("retries of a minute's last interval × retries seconds get through as far as the next minute has room", () => {
    // 100 a minute allowed; minute 0 rejects 60; a 30 s retry horizon carries half (30); minute 1 serves 80 of its own: room 20.
    expect(throttleRetries([0, MIN], [160, 80], [60, 0], 100, { throttleInterval: 10, throttleRetryLimit: 3 })).toEqual({ cut: [40, 0], delayed: [20, 0] });
    // A quiet next minute has all its room; a horizon of a minute or more carries every rejected request.
    expect(throttleRetries([0, 5 * MIN], [160, 80], [60, 0], 100, { throttleInterval: 30, throttleRetryLimit: 4 })).toEqual({ cut: [0, 0], delayed: [60, 0] });
  });
  it("no throttle, or a window longer than a minute: the rate's rejections as they are", () => {
    expect(throttleRetries([0], [160], [60], 100, {}).cut).toEqual([60]);
    expect(throttleRetries([0], [160], [60], Infinity, { throttleInterval: 10, throttleRetryLimit: 3 }).cut).toEqual([60]);
  });
  it("never rejects more, nor serves late more than it rejected", () => {
    fc.assert(fc.property(fc.array(fc.nat(500), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 10 }), (counts, perMinute, interval, retries) => {
      const minutes = counts.map((_, i) => i * MIN);
      const cut = counts.map((n) => Math.max(0, n - perMinute));
      const r = throttleRetries(minutes, counts, cut, perMinute, { throttleInterval: interval, throttleRetryLimit: retries });
      r.cut.forEach((n, i) => {
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n + r.delayed[i]).toBe(cut[i]);
      });
    }));
  });
});

describe("quotaRejected", () => {
  it("counts from the first allowed request and renews a period later, with the next request", () => {
    // 100 per hour: 60 + 60 in the first hour (20 over), then a new period 90 minutes in.
    expect(quotaRejected([0, 30 * MIN, 90 * MIN, 100 * MIN], [60, 60, 70, 50], { quotaMax: 100, quotaRenewalRate: 3600 })).toEqual([0, 20, 0, 20]);
  });
  it("no quota: nothing", () => {
    expect(quotaRejected([0], [1e6], {})).toEqual([0]);
  });
  it("never lets more than the quota through in any period", () => {
    fc.assert(fc.property(fc.array(fc.nat(200), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 1000 }), (allowed, max) => {
      const minutes = allowed.map((_, i) => i * MIN);
      const over = quotaRejected(minutes, allowed, { quotaMax: max, quotaRenewalRate: 600 });
      let served = 0, start = -Infinity;
      allowed.forEach((n, i) => {
        expect(over[i]).toBeGreaterThanOrEqual(0);
        expect(over[i]).toBeLessThanOrEqual(n);
        if (n && minutes[i] >= start + 600_000) { start = minutes[i]; served = 0; }
        served += n - over[i];
        expect(served).toBeLessThanOrEqual(max);
      });
    }));
  });
});
