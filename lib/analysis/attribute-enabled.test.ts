// Attribution of access changes through the traffic they enabled, on the demo incident's shape:
// partner-gold 100 → 2000 req/s five minutes before t0, then globex-batch (under it, never on this
// endpoint before) sends ~46 slow req/min, far below the old limit of 6000/min.
import { describe, expect, it } from "vitest";
import { attribute } from "./attribute";
import { cellsFromRequests, indexTraffic } from "./traffic";
import { findChangeTouches } from "./touches";
import type { AccessChange, Verdict } from "./types";
import { lognormal, makeScenario, normal80, steady, uniform, type Caller, type Scenario } from "./testing/synthetic-traffic";
import { MINUTE } from "./testing/synthetic-series";

function run(s: Scenario, changes: AccessChange[]): Verdict {
  const traffic = indexTraffic(cellsFromRequests(s.requests), s.windows);
  const labels = { key: { "k-batch": "globex-batch" } };
  return attribute(traffic, findChangeTouches(changes, traffic, { apiId: "api-shop", start: s.start }), { start: s.start, apiId: "api-shop", labels });
}

const change = (p: Partial<AccessChange> & Pick<AccessChange, "id" | "kind" | "targetId">, at: number): AccessChange => ({
  action: "update", label: p.id, actor: "ada@acme.test", changedAt: at, timeSource: "audit", diff: [], apiIds: ["api-shop"], keyHashes: [], ...p,
});
const raise = (id: string, policy: string, at: number) =>
  change({ id, kind: "policy", targetId: policy, label: policy, limitBefore: { rate: 100, per: 1 }, limitAfter: { rate: 2000, per: 1 }, diff: [{ path: "rate", before: 100, after: 2000 }] }, at);

// The batch job saturates the upstream: everyone's requests are 1.6× slower during the incident.
const saturated = (base: (r: () => number) => number) => (p: "B" | "I", r: () => number) => base(r) * (p === "I" ? 1.6 : 1);

function world(batchPolicy: string): Caller[] {
  return [
    steady("k-indexer", 25, { policies: ["internal-bulk"], latency: saturated(lognormal(160, 0.5)) }), // heavy but normal
    steady("k-web", 8, { policies: ["internal-std"], latency: saturated(normal80) }),
    steady("k-initech", 4, { policies: ["silver"], latency: saturated(normal80) }),
    steady("k-portal", 1, { policies: ["gold"], latency: saturated(normal80) }),
    steady("k-batch", 0, { policies: [batchPolicy], rate: (p) => (p === "B" ? 0 : 46), latency: (_p, r) => uniform(1000, 3000)(r) }),
  ];
}

// The key rotation decoy, as in the demo: the mobile app's key (it calls another endpoint of the
// API) is rotated five minutes before the raise; it reaches this endpoint through its API only.
function decoys(start: number): AccessChange[] {
  return [
    change({ id: "chg-rotate", kind: "key", action: "rotate", targetId: "k-mobile-1", keyHashes: ["k-mobile-1"] }, start - 10 * MINUTE),
    change({ id: "chg-revoke", kind: "key", action: "revoke", targetId: "k-mobile-0", keyHashes: ["k-mobile-0"] }, start - 9.5 * MINUTE),
  ];
}

describe("attribute: access changes inherit the share of the traffic they enabled", () => {
  it("the demo shape: the raise and the key it enabled rank first, both significant; decoys are not", () => {
    const s = makeScenario(world("gold"), { seed: 21 });
    const v = run(s, [raise("chg-gold", "gold", s.start - 5 * MINUTE), raise("chg-silver", "silver", s.start - 5 * MINUTE), ...decoys(s.start)]);
    expect(v.verdict).toBe("explained");
    expect(v.suspects.slice(0, 2).map((x) => x.id).sort()).toEqual(["chg-gold", "k-batch"]);
    const gold = v.suspects.find((x) => x.id === "chg-gold")!;
    const key = v.suspects.find((x) => x.id === "k-batch")!;
    expect(gold).toMatchObject({ significant: true, mechanism: "enabled_traffic" });
    expect(gold.share.lo).toBeGreaterThan(0.5);
    // It inherits exactly the share and interval of the traffic it enabled.
    expect(gold.share).toEqual(key.share);
    expect(gold.evidence.enables).toMatchObject({ reason: "traffic_started_after_limit_raised", keyHashes: ["k-batch"], oldLimitPerMin: 6000 });
    expect(gold.evidence.enables?.detail).toBe("globex-batch (under gold) started 5 min after the limit rose 100 → 2000/s");
    expect(key.evidence.enabledBy).toEqual([{ changeId: "chg-gold", label: "gold", reason: "traffic_started_after_limit_raised", detail: gold.evidence.enables?.detail }]);

    // Of two simultaneous raises only the one covering the surging key inherits; the rotation and
    // the heavy-but-normal indexer stay not significant.
    const ids = v.suspects.map((x) => x.id);
    for (const d of ["chg-silver", "chg-rotate", "chg-revoke", "k-indexer"]) expect(ids).not.toContain(d);
    expect(v.notSignificant.find((x) => x.id === "chg-silver")).toMatchObject({ share: { point: 0 }, evidence: {} });
    expect(v.notSignificant.find((x) => x.id === "chg-silver")?.evidence.enables).toBeUndefined();
    expect(v.notSignificant.find((x) => x.id === "chg-rotate")).toMatchObject({ share: { point: 0 }, significant: false });
    expect(v.notSignificant.find((x) => x.id === "k-indexer")?.share.point).toBeLessThan(0.05);
  });

  it("a raise followed by no surge of its own keys inherits nothing, even when another key surges", () => {
    const s = makeScenario(world("bronze"), { seed: 22 });
    const v = run(s, [raise("chg-gold", "gold", s.start - 5 * MINUTE), ...decoys(s.start)]);
    expect(v.suspects.map((x) => x.id)).toContain("k-batch");
    const gold = v.notSignificant.find((x) => x.id === "chg-gold");
    expect(gold).toMatchObject({ significant: false, share: { point: 0, lo: 0, hi: 0 }, pValue: 1 });
    expect(gold?.evidence.enables).toBeUndefined();
    expect(v.suspects.find((x) => x.id === "k-batch")?.evidence.enabledBy).toBeUndefined();
  });

  it("a raise made after the key's traffic had already started does not inherit it", () => {
    // The batch key calls from B's 10th minute on; the raise comes 40 minutes later.
    const callers = world("gold").map((c) => (c.key === "k-batch" ? { ...c, rate: (_p: "B" | "I", m: number) => (m < 10 ? 0 : 46) } : c));
    const s = makeScenario(callers, { seed: 23 });
    const v = run(s, [raise("chg-gold", "gold", s.start - 15 * MINUTE)]);
    expect(v.notSignificant.find((x) => x.id === "chg-gold")?.evidence.enables).toBeUndefined();
  });
});
