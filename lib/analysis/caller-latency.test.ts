import { describe, expect, it } from "vitest";
import { standsOut } from "./caller-latency";
import { keyLineage, withLineage } from "./lineage";
import { expandWorld, silverByChanceWorld } from "./testing/world-generator";
import { indexTraffic } from "./traffic";

describe("standsOut", () => {
  // Everyone got 1.8× slower; by chance pol-silver's keys rose more: 3.5 standard errors for one
  // group tested, not for two.
  const spec = silverByChanceWorld();
  const w = expandWorld(spec);
  const traffic = indexTraffic(withLineage(w.cells, keyLineage(w.cells, w.windows, w.changes)), w.windows);

  it("raises its bar with the number of groups an answer puts through it", () => {
    const silver = traffic.byKind.policy.get("pol-silver")!;
    expect(standsOut(traffic, silver, 5, 1)).toBe(true);
    expect(standsOut(traffic, silver, 5, 2)).toBe(false);
  });
});
