import { describe, expect, it } from "vitest";
import { limitChange, linkEnabledTraffic, relaxationOf } from "./enabled-by";
import { cellsFromRequests, indexTraffic } from "./traffic";
import { findChangeTouches } from "./touches";
import type { AccessChange } from "./types";
import { makeScenario, normal80, steady, uniform, type Caller } from "./testing/synthetic-traffic";
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
    expect(links.get("raise")?.detail).toMatch(/past the old limit of 10\/min \(strongest evidence/);
    // k-surge never reached the old limit of 100/min, but grew 10× after it rose: weaker, timing evidence.
    expect(links.get("raise-high")).toMatchObject({ reason: "rate_rose_after_limit_raised", keyHashes: ["k-surge"], keys: [{ evidence: "surged" }] });
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

describe("relaxationOf", () => {
  const c = (p: Partial<AccessChange>) => change({ id: "x", kind: "policy", targetId: "p", ...p }, 0);
  it("names what was relaxed, and ignores tightening and unrelated edits", () => {
    expect(relaxationOf(c({ limitBefore: { rate: 100, per: 1 }, limitAfter: { rate: 2000, per: 1 } }))).toMatchObject({ relaxed: ["rate"], oldPerMin: 6000, newPerMin: 120000, phrase: "the limit rose 100 → 2000/s" });
    expect(relaxationOf(c({ diff: [{ path: "quota_max", before: 500000, after: 750000 }] }))).toMatchObject({ relaxed: ["quota"], phrase: "the quota rose 500000 → 750000" });
    expect(relaxationOf(c({ diff: [{ path: "access_rights.api-shop", before: null, after: { api_id: "api-shop" } }] }), "api-shop")?.relaxed).toEqual(["access"]);
    expect(relaxationOf(c({ diff: [{ path: "access_rights.api-other", before: null, after: { api_id: "api-other" } }] }), "api-shop")).toBeNull();
    expect(relaxationOf(c({ limitBefore: { rate: 2000, per: 1 }, limitAfter: { rate: 100, per: 1 } }))).toBeNull();
    expect(relaxationOf(c({ diff: [{ path: "rate", before: 10, after: 20 }, { path: "per", before: 1, after: 60 }] }))).toBeNull(); // 600 → 20/min
    expect(relaxationOf(c({ diff: [{ path: "tags", before: [], after: ["x"] }] }))).toBeNull();
    expect(relaxationOf(change({ id: "api", kind: "api", targetId: "api-shop", diff: [{ path: "rate", before: 1, after: 2 }] }, 0))).toBeNull();
  });
});

describe("linkEnabledTraffic below the old limit (timing evidence)", () => {
  // The demo's shape: partner-gold 100 → 2000 req/s five minutes before t0; globex-batch, under it,
  // never called this endpoint before and then sends ~46 slow req/min, far below 6000/min.
  const raise = (id: string, pol: string, at: number, label = pol) =>
    change({ id, kind: "policy", targetId: pol, label, limitBefore: { rate: 100, per: 1 }, limitAfter: { rate: 2000, per: 1 } }, at);
  const batch = steady("k-batch", 0, { policies: ["gold"], rate: (p) => (p === "B" ? 0 : 46), latency: (_p, r) => uniform(1000, 3000)(r) });
  const portal = steady("k-portal", 1, { policies: ["gold"] });
  const links = (callers: Caller[], changes: (start: number) => AccessChange[], seed = 11) => {
    const s = makeScenario(callers, { seed });
    const t = indexTraffic(cellsFromRequests(s.requests), s.windows);
    return linkEnabledTraffic(findChangeTouches(changes(s.start), t, { apiId: "api-shop", start: s.start }), t, { keyLabels: { "k-batch": "globex-batch" } });
  };

  it("links a key that started after the raise, with when, and not its steady neighbour under the same policy", () => {
    const l = links([batch, portal, steady("k-indexer", 25)], (start) => [raise("gold-up", "gold", start - 5 * MINUTE, "partner-gold")]);
    const link = l.get("gold-up")!;
    expect(link).toMatchObject({ reason: "traffic_started_after_limit_raised", keyHashes: ["k-batch"], oldLimitPerMin: 6000, newLimitPerMin: 120000, relaxed: ["rate"] });
    expect(link.keys?.[0]).toMatchObject({ evidence: "started", ratePerMinBefore: 0, minutesAfterChange: 5 });
    expect(link.detail).toBe("globex-batch (under partner-gold) started 5 min after the limit rose 100 → 2000/s");
  });

  it("links a ≥3× surge after the raise, and nothing when the keys did not surge", () => {
    const surging = steady("k-batch", 0, { policies: ["gold"], rate: (p) => (p === "B" ? 4 : 40) });
    expect(links([surging, portal], (start) => [raise("gold-up", "gold", start - 20 * MINUTE)]).get("gold-up")).toMatchObject({ reason: "rate_rose_after_limit_raised", keyHashes: ["k-batch"] });
    const mild = steady("k-batch", 0, { policies: ["gold"], rate: (p) => (p === "B" ? 20 : 30) }); // 1.5×: ordinary drift
    expect(links([mild, portal], (start) => [raise("gold-up", "gold", start - 20 * MINUTE)]).size).toBe(0);
  });

  it("only links traffic that surged after the change, not traffic already there before it", () => {
    // Surge from minute 20 of B on. A change at minute 10 came before it; one at minute 50 came after.
    const early = steady("k-batch", 0, { policies: ["gold"], rate: (_p, m) => (m < 20 ? 2 : 30) });
    const at = (min: number) => (start: number) => [raise("gold-up", "gold", start - (65 - min) * MINUTE)];
    expect(links([early, portal], at(10)).get("gold-up")).toMatchObject({ reason: "rate_rose_after_limit_raised", keyHashes: ["k-batch"] });
    expect(links([early, portal], at(50)).size).toBe(0);
  });

  it("of two simultaneous raises, links only the one whose policy covers the surging key", () => {
    const l = links([batch, steady("k-silver", 5, { policies: ["silver"] })], (start) => [raise("gold-up", "gold", start - 5 * MINUTE), raise("silver-up", "silver", start - 5 * MINUTE)]);
    expect(l.get("gold-up")?.keyHashes).toEqual(["k-batch"]);
    expect(l.has("silver-up")).toBe(false);
  });

  it("lists past-the-old-limit keys first as the strongest evidence", () => {
    const flood = steady("k-flood", 0, { policies: ["gold"], rate: (p) => (p === "B" ? 2 : 80) });
    const l = links([batch, flood], (start) => [change({ id: "gold-up", kind: "policy", targetId: "gold", label: "gold", limitBefore: { rate: 50, per: 60 }, limitAfter: { rate: 600, per: 60 } }, start - 5 * MINUTE)]);
    expect(l.get("gold-up")).toMatchObject({ reason: "rate_past_old_limit", keys: [{ keyHash: "k-flood", evidence: "past_old_limit" }, { keyHash: "k-batch", evidence: "started" }] });
    expect(l.get("gold-up")?.detail).toMatch(/\(\+1 more key\)$/);
  });

  it("links keys that started after access to this API was granted; a tightening links nothing", () => {
    const grant = (start: number) => [change({ id: "grant", kind: "policy", targetId: "gold", label: "gold", diff: [{ path: "access_rights.api-shop", before: null, after: { api_id: "api-shop" } }] }, start - 5 * MINUTE)];
    expect(links([batch, portal], grant).get("grant")).toMatchObject({ reason: "traffic_started_after_limit_raised", relaxed: ["access"], keyHashes: ["k-batch"] });
    const lower = (start: number) => [change({ id: "lower", kind: "policy", targetId: "gold", limitBefore: { rate: 2000, per: 1 }, limitAfter: { rate: 100, per: 1 } }, start - 5 * MINUTE)];
    expect(links([batch, portal], lower).size).toBe(0);
  });

  it("does not blame another API's definition change for this endpoint's callers slowing", () => {
    const slowAll = [steady("k-1", 20, { latency: (p, r) => normal80(r) * (p === "I" ? 3 : 1) }), steady("k-2", 20, { latency: (p, r) => normal80(r) * (p === "I" ? 3 : 1) })];
    // Reaches the endpoint only through the keys both APIs share.
    const other = (start: number) => [change({ id: "users-api", kind: "api", targetId: "api-users", apiIds: ["api-users"], keyHashes: ["k-1", "k-2"] }, start - 30 * MINUTE)];
    expect(links(slowAll, other).size).toBe(0);
  });
});

describe("linkEnabledTraffic: rejections that stopped at the change", () => {
  // k-batch attempts 40 requests a minute; Tyk answers 29 of every 30 with 429 until 4 minutes
  // before the spike's start, and serves them all from then on.
  const batch: Caller = { key: "k-batch", policies: ["gold"], identity: "id-batch", rate: () => 40, latency: (_p, r) => uniform(600, 900)(r) };
  const withRejections = (s: ReturnType<typeof makeScenario>) => {
    let n = 0;
    return s.requests.map((r) => (r.keyHash === "k-batch" && r.ts < s.start - 4 * MINUTE && n++ % 30 !== 0 ? { ...r, status: 429 } : r));
  };
  const links = (changes: (start: number) => AccessChange[]) => {
    const s = makeScenario([batch, steady("k-web", 30, { policies: ["std"] })], { seed: 5 });
    const t = indexTraffic(cellsFromRequests(withRejections(s)), s.windows);
    return linkEnabledTraffic(findChangeTouches(changes(s.start), t, { apiId: "api-shop", start: s.start }), t, { apiId: "api-shop", start: s.start, keyLabels: { "k-batch": "wayne-batch" } });
  };

  it("links an audit-only policy change (no diff) to the key whose rejections stopped when it was made, as the strongest evidence", () => {
    const l = links((start) => [change({ id: "pre", kind: "policy", targetId: "gold", label: "hooli", timeSource: "audit" }, start - 4 * MINUTE)]);
    expect(l.get("pre")).toMatchObject({ reason: "rejections_stopped_after_change", keyHashes: ["k-batch"], keys: [{ evidence: "rejections_stopped" }] });
    expect(l.get("pre")?.relaxed).toBeUndefined();
    expect(l.get("pre")?.keys?.[0].rejectedShareBefore).toBeGreaterThan(0.9);
    expect(l.get("pre")?.detail).toMatch(/^wayne-batch \(under hooli\) had 97% of its requests rejected by Tyk \(429\/403\) before hooli was changed and 0% after it/);
  });

  it("links an API definition change to every caller of the endpoint whose rejections stopped, and not a change made long before they stopped", () => {
    const l = links((start) => [change({ id: "api", kind: "api", targetId: "api-shop" }, start - 4 * MINUTE), change({ id: "old", kind: "policy", targetId: "gold" }, start - 50 * MINUTE)]);
    expect(l.get("api")).toMatchObject({ reason: "rejections_stopped_after_change", keyHashes: ["k-batch"] });
    expect(l.has("old")).toBe(false);
  });

  it("an API's global rate limit removed is a relaxation (keys that started after it are linked)", () => {
    const s = makeScenario([steady("k-batch", 0, { policies: ["gold"], rate: (p) => (p === "B" ? 0 : 30) }), steady("k-web", 30)], { seed: 6 });
    const t = indexTraffic(cellsFromRequests(s.requests), s.windows);
    const c = change({ id: "api", kind: "api", targetId: "api-shop", diff: [{ path: "api_definition.global_rate_limit.rate", before: 5, after: 0 }, { path: "api_definition.global_rate_limit.per", before: 1, after: 0 }] }, s.start - 3 * MINUTE);
    expect(linkEnabledTraffic(findChangeTouches([c], t, { apiId: "api-shop", start: s.start }), t, { apiId: "api-shop" }).get("api"))
      .toMatchObject({ reason: "traffic_started_after_limit_raised", relaxed: ["api_limit"], keyHashes: ["k-batch"] });
  });
});

describe("linkEnabledTraffic: deploys", () => {
  const slowAll = [steady("k-1", 20, { latency: (p, r) => normal80(r) * (p === "I" ? 3 : 1) }), steady("k-2", 20, { latency: (p, r) => normal80(r) * (p === "I" ? 3 : 1) })];
  const deploy = (at: number): AccessChange => ({ id: "dep", kind: "deploy", action: "deploy", targetId: "orders-service", label: "orders-service v2.14", actor: null, changedAt: at, timeSource: "trace", diff: [], apiIds: [], keyHashes: [] });
  it("links a deploy of the upstream shortly before callers alike slowed, not one long before", () => {
    const s = makeScenario(slowAll, { seed: 7 });
    const t = indexTraffic(cellsFromRequests(s.requests), s.windows);
    const link = (at: number) => linkEnabledTraffic(findChangeTouches([deploy(at)], t, { apiId: "api-shop", start: s.start }), t, { start: s.start }).get("dep");
    expect(link(s.start - MINUTE)?.reason).toBe("all_callers_slowed");
    expect(link(s.start + 30_000)?.reason).toBe("all_callers_slowed");
    expect(link(s.start - 40 * MINUTE)).toBeUndefined();
  });
});
