import { describe, expect, it } from "vitest";
import { attribute } from "./attribute";
import { indexTraffic, cellsFromRequests } from "./traffic";
import { findChangeTouches } from "./touches";
import type { AccessChange, Verdict } from "./types";
import { makeScenario, normal80, steady, uniform, type Caller, type Scenario } from "./testing/synthetic-traffic";
import { MINUTE } from "./testing/synthetic-series";

function run(s: Scenario, changes: AccessChange[] = []): Verdict {
  const traffic = indexTraffic(cellsFromRequests(s.requests), s.windows);
  return attribute(traffic, findChangeTouches(changes, traffic, { apiId: "api-shop", start: s.start }), { start: s.start });
}

const crowd = (n: number, rate = 30): Caller[] => Array.from({ length: n }, (_, i) => steady(`k-${i}`, rate, { policies: ["pol-std"] }));

function change(p: Partial<AccessChange> & Pick<AccessChange, "id" | "kind" | "targetId">, start: number): AccessChange {
  return { action: "update", label: p.id, actor: "ops@example.com", changedAt: start - 20 * MINUTE, timeSource: "audit", diff: [], apiIds: ["api-shop"], keyHashes: [], ...p };
}

describe("attribute", () => {
  it("pure slowdown: everyone slower, no culprit → unexplained, reading slowdown", () => {
    const callers = crowd(8).map((c) => ({ ...c, latency: (p: "B" | "I", r: () => number) => normal80(r) * (p === "I" ? 2.5 : 1) }));
    const v = run(makeScenario(callers, { seed: 1 }));
    expect(v.verdict).toBe("unexplained");
    expect(v.reading).toBe("slowdown");
    expect(v.summary).toMatch(/^No caller, key or access change explains this; all callers slowed ×2\.\d at \d\d:\d\d UTC with the same load — look at the upstream or a deploy\./);
    expect(v.context?.callersSlowed.fraction).toBeGreaterThan(0.9);
    expect(v.notSignificant.length).toBeGreaterThan(0);
    expect(v.stats.slowdownFraction!).toBeGreaterThan(0.8);
  });

  it("an API definition change before an across-the-board slowdown inherits the slowdown part", () => {
    const callers = crowd(8).map((c) => ({ ...c, latency: (p: "B" | "I", r: () => number) => normal80(r) * (p === "I" ? 2.5 : 1) }));
    const s = makeScenario(callers, { seed: 1 });
    const v = run(s, [change({ id: "chg-api", kind: "api", targetId: "api-shop", changedAt: s.start - 2 * MINUTE }, s.start)]);
    expect(v.verdict).toBe("explained");
    expect(v.suspects[0]).toMatchObject({ id: "chg-api", mechanism: "slowdown_after_change", evidence: { enables: { reason: "all_callers_slowed" } } });
    expect(v.suspects[0].share.lo).toBeGreaterThan(0.7);
  });

  it("mix: one caller's volume of slow requests grew → that caller first, mechanism volume", () => {
    const report: Caller = { key: "k-report", identity: "svc-report", rate: (p) => (p === "B" ? 2 : 40), latency: (_p, r) => uniform(1500, 2500)(r) };
    const v = run(makeScenario([...crowd(8), report], { seed: 2 }));
    expect(v.verdict).toBe("explained");
    expect(v.reading).toBe("mix");
    expect(v.suspects[0].id).toBe("k-report");
    expect(v.suspects[0].mechanism).toBe("volume");
    expect(v.suspects[0].share.lo).toBeGreaterThan(0.5);
    expect(v.suspects.map((s) => s.id)).toContain("svc-report");
    // Innocent steady callers are never suspects.
    expect(v.suspects.some((s) => s.id.startsWith("k-") && s.id !== "k-report")).toBe(false);
  });

  it("noisy neighbour: a fast caller whose volume slows everyone else", () => {
    const crawler: Caller = {
      key: "k-crawler", identity: "svc-crawler",
      rate: (p, _m, r) => (p === "B" ? 5 : 100 + 200 * r()),
      latency: (_p, r) => 15 * Math.exp(0.2 * (r() - 0.5)),
    };
    const others = crowd(8).map((c) => ({ ...c, latency: (_p: "B" | "I", r: () => number, load: Map<string, number>) => normal80(r) * (1 + ((load.get("k-crawler") ?? 0) / 100) ** 2) }));
    const v = run(makeScenario([...others, crawler], { seed: 3 }));
    expect(v.verdict).toBe("explained");
    expect(v.reading).toBe("slowdown");
    const top = v.suspects.find((s) => s.id === "k-crawler");
    expect(top?.mechanism).toBe("noisy_neighbour");
    expect(top?.evidence.noisyNeighbour?.slope).toBeGreaterThan(0);
    expect(top?.share.point).toBeGreaterThan(0.5);
    expect(v.suspects.some((s) => s.kind === "key" && s.id !== "k-crawler")).toBe(false);
    // The victims' policy (everyone but the crawler) is discounted, not blamed.
    const victims = v.notSignificant.find((s) => s.id === "pol-std");
    expect(victims?.evidence.victimOfNeighbour).toBeDefined();
  });

  it("two simultaneous changes: the innocent one is not significant", () => {
    const a: Caller = { key: "k-a", policies: ["pol-a"], rate: (p) => (p === "B" ? 5 : 60), latency: (_p, r) => uniform(900, 1800)(r) };
    const b: Caller = steady("k-b", 20, { policies: ["pol-b"] });
    const s = makeScenario([...crowd(6), a, b], { seed: 4 });
    const changes = [
      change({ id: "chg-a", kind: "policy", targetId: "pol-a", limitBefore: { rate: 10, per: 60 }, limitAfter: { rate: 1000, per: 60 } }, s.start),
      change({ id: "chg-b", kind: "policy", targetId: "pol-b", limitBefore: { rate: 10, per: 60 }, limitAfter: { rate: 1000, per: 60 } }, s.start),
    ];
    const v = run(s, changes);
    const ids = v.suspects.map((x) => x.id);
    expect(ids).toContain("chg-a");
    expect(ids).not.toContain("chg-b");
    const chgA = v.suspects.find((x) => x.id === "chg-a")!;
    expect(chgA.mechanism).toBe("enabled_traffic");
    expect(chgA.evidence.enables?.keyHashes).toEqual(["k-a"]);
    expect(v.notSignificant.find((x) => x.id === "chg-b")?.share.point).toBe(0);
    // The key carries the link back to the change as evidence.
    expect(v.suspects.find((x) => x.id === "k-a")?.evidence.enabledBy?.[0].changeId).toBe("chg-a");
  });

  it("is reproducible for a seed", () => {
    const report: Caller = { key: "k-report", rate: (p) => (p === "B" ? 2 : 40), latency: (_p, r) => uniform(1500, 2500)(r) };
    const s = makeScenario([...crowd(5), report], { seed: 5 });
    expect(run(s)).toEqual(run(s));
  });

  it("sparse traffic: says so instead of guessing", () => {
    const s = makeScenario([steady("k-lone", 0.05)], { seed: 6 });
    const v = run(s);
    expect(v.verdict).toBe("unexplained");
    expect(v.suspects).toEqual([]);
  });

  it("nothing to attribute when the requests' percentile did not rise", () => {
    const v = run(makeScenario(crowd(5), { seed: 7 }));
    expect(v.verdict).toBe("unexplained");
    expect(v.summary).toMatch(/did not rise|No access change/);
  });

  it("an audited change made after t0 is never a suspect (often the mitigation)", () => {
    const a: Caller = { key: "k-a", policies: ["pol-a"], rate: (p) => (p === "B" ? 5 : 60), latency: (_p, r) => uniform(900, 1800)(r) };
    const s = makeScenario([...crowd(6), a], { seed: 8 });
    const late = change({ id: "chg-late", kind: "policy", targetId: "pol-a", changedAt: s.start + 5 * MINUTE, limitBefore: { rate: 10, per: 60 }, limitAfter: { rate: 1000, per: 60 } }, s.start);
    const v = run(s, [late]);
    const c = v.notSignificant.find((x) => x.id === "chg-late");
    expect(c?.evidence.afterSpikeStart).toBe(true);
    expect(c?.pValue).toBe(1);
  });
});

describe("attribute: served load, not attempts", () => {
  it("never reads a caller as a noisy neighbour when the served load stayed flat (a retry storm Tyk rejected, a new fast key)", () => {
    const slowAll = (p: "B" | "I", r: () => number) => normal80(r) * (p === "I" ? 3 : 1);
    const storm: Caller = { key: "k-storm", rate: (p) => (p === "B" ? 20 : 600), latency: slowAll };
    const probe: Caller = { key: "k-probe", rate: (p) => (p === "B" ? 0 : 15), latency: (_p, r) => 40 * Math.exp(0.2 * r()) };
    const s = makeScenario([...crowd(6).map((c) => ({ ...c, latency: slowAll })), storm, probe], { seed: 9 });
    // All but 20 of the storm's attempts a minute are answered 429 by Tyk in I.
    let n = 0;
    const requests = s.requests.map((r) => (r.keyHash === "k-storm" && r.ts >= s.start && n++ % 30 !== 0 ? { ...r, status: 429 } : r));
    const traffic = indexTraffic(cellsFromRequests(requests), s.windows);
    const v = attribute(traffic, findChangeTouches([], traffic, { apiId: "api-shop", start: s.start }), { start: s.start });
    expect(v.stats.rejectedIncident).toBeGreaterThan(10_000);
    expect(v.suspects).toEqual([]);
    expect([...v.notSignificant].filter((x) => x.mechanism === "noisy_neighbour" && x.share.point > 0)).toEqual([]);
    expect(v.context?.load.rejectedPerMinAfter).toBeGreaterThan(500);
    expect(v.summary).toMatch(/requests Tyk rejected \(429\/403\) rose .* which never reached the upstream/);
  });
});
