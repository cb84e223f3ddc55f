import { describe, expect, it } from "vitest";
import { attribute } from "./attribute";
import { answerViolations } from "./invariants";
import { indexTraffic, cellsFromRequests } from "./traffic";
import { keysGroup, typeCandidates } from "./type-candidates";
import type { UserTypeInput, Verdict } from "./types";
import { makeScenario, normal80, steady, uniform, type Caller, type Scenario } from "./testing/synthetic-traffic";

const crowd = (n: number, prefix: string, rate = 30): Caller[] => Array.from({ length: n }, (_, i) => steady(`${prefix}-${i}`, rate, { policies: ["pol-std"] }));
const slower = (cs: Caller[], factor: number): Caller[] => cs.map((c) => ({ ...c, latency: (p: "B" | "I", r: () => number) => normal80(r) * (p === "I" ? factor : 1) }));

const anomaly = { metric: "p99", hour: 0, baseline: 200, observed: 800, factor: 4 };
const people = (n: number): UserTypeInput => ({ id: "kind:person", label: "People", keyHashes: Array.from({ length: n }, (_, i) => `person-${i}`), anomaly });

function run(s: Scenario, userTypes: UserTypeInput[] = []): Verdict {
  const traffic = indexTraffic(cellsFromRequests(s.requests), s.windows);
  return attribute(traffic, [], { start: s.start, userTypes });
}

describe("user type suspects", () => {
  it("a type's candidate is its keys' requests, with the anomaly as evidence", () => {
    const s = makeScenario([...crowd(4, "svc"), ...crowd(3, "person")], { seed: 3 });
    const traffic = indexTraffic(cellsFromRequests(s.requests), s.windows);
    const [c] = typeCandidates(traffic, [people(3)], 5);
    const keys = [0, 1, 2].map((i) => traffic.byKind.key.get(`person-${i}`)!);
    expect(c).toMatchObject({ kind: "user_type", id: "kind:person", label: "People", eligible: true, evidence: { anomaly } });
    expect(c.group!.countI).toBeCloseTo(keys.reduce((n, k) => n + k.countI, 0));
    expect(c.entries!.cnt.reduce((n, x) => n + x, 0)).toBeCloseTo(c.group!.countI);
    expect([...c.group!.keys].sort()).toEqual(["person-0", "person-1", "person-2"]);
    // Every caller of the endpoint of the type: removing it removes everything, so it is no candidate.
    expect(typeCandidates(traffic, [{ ...people(3), keyHashes: [...traffic.byKind.key.keys()] }], 5)).toEqual([]);
    expect(keysGroup(traffic, "kind:none", ["nobody"])).toBeNull();
  });

  it("a whole type slower, no key of it standing out alone → the type first, its share consistent with its p99 without", () => {
    const s = makeScenario([...crowd(6, "svc"), ...slower(crowd(6, "person", 15), 6)], { seed: 4 });
    const v = run(s, [people(6)]);
    expect(v.verdict).toBe("explained");
    expect(v.suspects[0]).toMatchObject({ kind: "user_type", id: "kind:person", mechanism: "own_latency", evidence: { anomaly, counterfactual: "requests_removed" } });
    const t = v.suspects[0];
    expect(t.share.lo).toBeGreaterThan(0.5);
    expect(t.evidence.p99Without!).toBeLessThan(v.stats.qIncident!);
    expect(answerViolations(v)).toEqual([]);
    expect(v.summary).toMatch(/Callers of type People got ×\d+(\.\d)? slower \(flagged by the p99 anomaly at 00:00 UTC, ×4 its baseline\)/);
  });

  it("one louder key of the type → the key ranks before the type", () => {
    const loud: Caller = { key: "person-0", identity: "ana", rate: (p) => (p === "B" ? 2 : 40), latency: (_p, r) => uniform(1500, 2500)(r), policies: ["pol-std"] };
    const v = run(makeScenario([...crowd(6, "svc"), loud, ...crowd(3, "person", 15).slice(1)], { seed: 5 }), [people(3)]);
    expect(v.suspects[0]).toMatchObject({ kind: "key", id: "person-0" });
    const type = [...v.suspects, ...v.notSignificant].find((x) => x.kind === "user_type")!;
    expect(type).toBeDefined();
    expect(v.suspects.indexOf(type)).not.toBe(0);
    expect(answerViolations(v)).toEqual([]);
  });

  it("without an anomaly-backed type the answer is unchanged", () => {
    const s = makeScenario([...crowd(6, "svc"), ...slower(crowd(6, "person", 15), 6)], { seed: 4 });
    const v = run(s);
    expect([...v.suspects, ...v.notSignificant].some((x) => x.kind === "user_type")).toBe(false);
  });
});
