import { describe, expect, it } from "vitest";
import type { SimRequest } from "./types";
import { createRateLimiter, longestWindow, type PolicyWrites } from "./rate-limits";

const T = Date.UTC(2026, 11, 7, 12, 0);
const req = (ts: number, over: Partial<SimRequest> = {}) =>
  ({ ts, keyHash: "kh-a", apiId: "api-1", policyIds: ["pol-1"], status: 200, latencyMs: 120, upstreamMs: 118, gatewayMs: 2, ...over }) as SimRequest;

describe("the simulated gateway's rate limiter", () => {
  const writes: PolicyWrites = new Map([["pol-1", [{ at: new Date(T), body: { rate: 3, per: 10 } }]]]);
  const world = (id: string) => (id === "pol-2" ? { rate: 1000, per: 1 } : undefined);

  it("answers 429 past rate per `per` seconds for a written policy, from the write on, per key", () => {
    const limit = createRateLimiter(writes, world);
    expect(limit(req(T - 1000)).status).toBe(200); // before the write: the world's own traffic as it was
    const statuses = [0, 1, 2, 3, 4].map((s) => limit(req(T + s * 1000)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = limit(req(T + 5000));
    expect(refused).toMatchObject({ status: 429, upstreamMs: 0, latencyMs: 2 });
    expect(limit(req(T + 10_500)).status).toBe(200); // the window moved past the first allowed request
    expect(limit(req(T + 5000, { keyHash: "kh-b" })).status).toBe(200);
  });

  it("reads a per-API limit where the written policy sets one, and leaves unwritten policies alone", () => {
    const perApi: PolicyWrites = new Map([["pol-1", [{ at: new Date(T), body: { rate: 100, per: 1, access_rights: { "api-1": { limit: { rate: 1, per: 60 } } } } }]]]);
    const limit = createRateLimiter(perApi, world);
    expect([limit(req(T)).status, limit(req(T + 1)).status]).toEqual([200, 429]);
    expect(limit(req(T + 2, { apiId: "api-2" })).status).toBe(200);
    expect(limit(req(T + 3, { policyIds: ["pol-2"] })).status).toBe(200);
  });

  it("a key with a written policy and a more generous one gets the higher rate, as Tyk merges them", () => {
    const limit = createRateLimiter(writes, world);
    const statuses = Array.from({ length: 10 }, (_, i) => limit(req(T + i, { policyIds: ["pol-1", "pol-2"] })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it("judges by the write in force at each request, and primes its log with requests already answered", () => {
    const two: PolicyWrites = new Map([["pol-1", [{ at: new Date(T), body: { rate: 1, per: 60 } }, { at: new Date(T + 30_000), body: { rate: 100, per: 60 } }]]]);
    const limit = createRateLimiter(two, world);
    limit.prime(req(T));
    expect(limit(req(T + 1000)).status).toBe(429); // the primed request fills the 1-per-minute window
    expect(limit(req(T + 31_000)).status).toBe(200); // the second write lifted it
  });

  it("answers 403 past a written quota, renews it a period after the write's minute, and a refused rate uses none of it", () => {
    const quota: PolicyWrites = new Map([["pol-1", [{ at: new Date(T + 20_000), body: { rate: 2, per: 1, quota_max: 3, quota_renewal_rate: 120 } }]]]);
    const limit = createRateLimiter(quota, world);
    // Two a second pass the rate; the third in the same second is a 429 and leaves the quota alone.
    const statuses = [30_000, 30_001, 30_002, 31_000, 32_000].map((t) => limit(req(T + t)).status);
    expect(statuses).toEqual([200, 200, 429, 200, 403]);
    expect(limit(req(T + 33_000))).toMatchObject({ status: 403, upstreamMs: 0, latencyMs: 2 });
    // The period started at the write's minute (T): it renews at T + 120 s.
    expect(limit(req(T + 120_000)).status).toBe(200);
    expect([...limit.quotaUse().values()]).toEqual([4]);
  });

  it("counts a per-API quota per API, and starts from what earlier minutes of the period used", () => {
    const perApi: PolicyWrites = new Map([["pol-1", [{ at: new Date(T), body: { rate: 1000, per: 1, access_rights: { "api-1": { limit: { rate: 1000, per: 1, quota_max: 5, quota_renewal_rate: 3600 } } } } }]]]);
    const used = (counter: string, from: number, to: number) => (counter === `kh-a api-1 ${T}` && from === T && to === T + 10 * 60_000 ? 4 : 0);
    const limit = createRateLimiter(perApi, world, used);
    expect([limit(req(T + 10 * 60_000)).status, limit(req(T + 10 * 60_000 + 1)).status]).toEqual([200, 403]);
    expect(limit(req(T + 10 * 60_000 + 2, { apiId: "api-2" })).status).toBe(200);
  });

  it("reads the longest window any written limit uses", () => {
    const writes: PolicyWrites = new Map([["pol-1", [{ at: new Date(T), body: { rate: 1, per: 60, access_rights: { a: { limit: { rate: 1, per: 3600 } } } } }]]]);
    expect(longestWindow(writes)).toBe(3600);
  });
});
