import { describe, expect, it } from "vitest";
import { limitChange, linkEnabledTraffic } from "./enabled-by";
import { cellsFromRequests, indexTraffic } from "./traffic";
import { findChangeTouches } from "./touches";
import type { AccessChange } from "./types";
import { makeScenario, normal80, steady } from "./testing/synthetic-traffic";
import { MINUTE } from "./testing/synthetic-series";

const change = (p: Partial<AccessChange> & Pick<AccessChange, "id" | "kind" | "targetId">, at: number): AccessChange => ({
  action: "update", label: p.id, actor: null, changedAt: at, timeSource: "first_seen", diff: [], apiIds: ["api-shop"], keyHashes: [], ...p,
});

describe("limitChange", () => {
  it("reads normalised limits and Tyk diffs (rate per `per` seconds)", () => {
    expect(limitChange(change({ id: "a", kind: "policy", targetId: "p", limitBefore: { rate: 100, per: 1 }, limitAfter: { rate: 2000, per: 1 } }, 0))).toEqual({ raised: true, oldPerMin: 6000, newPerMin: 120000 });
    const fromDiff = limitChange(change({ id: "b", kind: "policy", targetId: "p", diff: [{ path: "access_rights.api-shop.limit.rate", before: 10, after: 50 }] }, 0));
    expect(fromDiff.raised).toBe(true);
    expect(fromDiff.oldPerMin).toBeUndefined();
    expect(limitChange(change({ id: "c", kind: "policy", targetId: "p", diff: [{ path: "per", before: 1, after: 60 }] }, 0)).raised).toBe(false);
    expect(limitChange(change({ id: "d", kind: "policy", targetId: "p", diff: [{ path: "quota_max", before: 1000, after: -1 }] }, 0)).raised).toBe(true);
  });
});

describe("linkEnabledTraffic", () => {
  const surge = steady("k-surge", 0, { policies: ["pol"], rate: (p) => (p === "B" ? 3 : 30) });
  const fresh = steady("k-new", 0, { rate: (p) => (p === "B" ? 0 : 10) });
  const slow = (key: string) => steady(key, 20, { latency: (p, r) => normal80(r) * (p === "I" ? 3 : 1) });

  it("links a raised limit to keys under it whose rate grew past the old limit, and a new key to its creation", () => {
    const s = makeScenario([surge, fresh, steady("k-calm", 20, { policies: ["pol"] })], { seed: 1 });
    const t = indexTraffic(cellsFromRequests(s.requests), s.windows);
    const changes = [
      change({ id: "raise", kind: "policy", targetId: "pol", limitBefore: { rate: 10, per: 60 }, limitAfter: { rate: 100, per: 60 } }, s.start - 10 * MINUTE),
      change({ id: "raise-high", kind: "policy", targetId: "pol", limitBefore: { rate: 100, per: 60 }, limitAfter: { rate: 200, per: 60 } }, s.start - 10 * MINUTE),
      change({ id: "create", kind: "key", action: "create", targetId: "k-new" }, s.start - 3 * MINUTE),
    ];
    const links = linkEnabledTraffic(findChangeTouches(changes, t, { apiId: "api-shop", start: s.start }), t);
    expect(links.get("raise")).toMatchObject({ reason: "rate_past_old_limit", keyHashes: ["k-surge"], oldLimitPerMin: 10 });
    expect(links.has("raise-high")).toBe(false); // k-surge never reached the old limit of 100/min
    expect(links.get("create")).toMatchObject({ reason: "new_key", keyHashes: ["k-new"] });
  });

  it("links an API definition change only when callers alike slowed", () => {
    const api = change({ id: "api", kind: "api", targetId: "api-shop" }, 0);
    const slowS = makeScenario([slow("k-1"), slow("k-2"), slow("k-3")], { seed: 2 });
    const ts = indexTraffic(cellsFromRequests(slowS.requests), slowS.windows);
    expect(linkEnabledTraffic(findChangeTouches([{ ...api, changedAt: slowS.start - MINUTE }], ts, { apiId: "api-shop", start: slowS.start }), ts).get("api")?.reason).toBe("all_callers_slowed");
    const calm = makeScenario([steady("k-1", 20), steady("k-2", 20)], { seed: 2 });
    const tc = indexTraffic(cellsFromRequests(calm.requests), calm.windows);
    expect(linkEnabledTraffic(findChangeTouches([{ ...api, changedAt: calm.start - MINUTE }], tc, { apiId: "api-shop", start: calm.start }), tc).size).toBe(0);
  });
});
