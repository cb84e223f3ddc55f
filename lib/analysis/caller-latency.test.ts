import { describe, expect, it } from "vitest";
import { standsOut } from "./caller-latency";
import { keyLineage, withLineage } from "./lineage";
import { expandWorld, type WorldSpec } from "./testing/world-generator";
import { indexTraffic } from "./traffic";

describe("standsOut", () => {
  // Everyone got 1.8× slower; by chance pol-silver's two keys' p90 rose 2.0–2.1× against the
  // others' 1.7–1.9×: 3.5 standard errors for one group tested, not for two.
  const caller = (key: string, policy: string, rate: number, median: number) =>
    ({ key, identity: null, policies: [policy], oauth: null, rateB: rate, rateI: rate, rejectedB: 0, rejectedI: 0, median, ownFactorI: 1 });
  const spec: WorldSpec = {
    seed: 2036643465,
    callers: [caller("k-0", "pol-gold", 10, 30), caller("k-1", "pol-free", 27, 30), caller("k-2", "pol-silver", 14, 30), caller("k-3", "pol-silver", 10, 32), caller("k-4", "pol-free", 10, 31)],
    slowdown: 1.8, saturation: null, changes: [],
  };
  const w = expandWorld(spec);
  const traffic = indexTraffic(withLineage(w.cells, keyLineage(w.cells, w.windows, w.changes)), w.windows);

  it("raises its bar with the number of groups an answer puts through it", () => {
    const silver = traffic.byKind.policy.get("pol-silver")!;
    expect(standsOut(traffic, silver, 5, 1)).toBe(true);
    expect(standsOut(traffic, silver, 5, 2)).toBe(false);
  });
});
