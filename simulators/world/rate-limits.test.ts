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

  it("reads the longest window any written limit uses", () => {
    const writes: PolicyWrites = new Map([["pol-1", [{ at: new Date(T), body: { rate: 1, per: 60, access_rights: { a: { limit: { rate: 1, per: 3600 } } } } }]]]);
    expect(longestWindow(writes)).toBe(3600);
  });
});
