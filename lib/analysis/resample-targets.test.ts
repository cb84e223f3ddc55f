import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { resample } from "./resample";
import { sameEntries, uniqueTargets, type UniqueTarget } from "./resample-targets";
import { cellsFromRequests, indexTraffic, unionOfKeys, type Entries } from "./traffic";
import { makeScenario, steady, uniform, type Caller } from "./testing/synthetic-traffic";

const entries = (rows: [number, number, number][]): Entries => ({
  min: Int32Array.from(rows.map((r) => r[0])), bin: Int32Array.from(rows.map((r) => r[1])), cnt: Float64Array.from(rows.map((r) => r[2])),
});

describe("uniqueTargets", () => {
  it("shares one entry set between targets with the same requests, however their entries are split or ordered", () => {
    const a = entries([[0, 5, 2], [1, 7, 1], [0, 5, 1]]);
    const sameAsA = entries([[1, 7, 1], [0, 5, 3]]);
    const other = entries([[0, 5, 3], [1, 7, 2]]);
    const u = uniqueTargets([a, other, sameAsA], 2);
    expect(u.map((x) => x.members)).toEqual([[0, 2], [1]]);
    expect([...u[0].entries.cnt]).toEqual([3, 1]);
    expect([...u[0].start!]).toEqual([0, 1, 2]);
  });

  it("with fractional counts (weighted samples) shares only identical entry lists, in their own order", () => {
    const a = entries([[1, 7, 0.5], [0, 5, 2.5]]);
    const reordered = entries([[0, 5, 2.5], [1, 7, 0.5]]);
    const u = uniqueTargets([a, reordered, entries([[1, 7, 0.5], [0, 5, 2.5]])], 2);
    expect(u.map((x) => x.members)).toEqual([[0, 2], [1]]);
    expect(u[0].entries).toBe(a);
    expect(u[0].start).toBeNull();
  });
});

// The first version: each target compared with every distinct one before it.
function uniqueTargetsByScan(targets: Entries[], nMin: number): UniqueTarget[] {
  const out: UniqueTarget[] = [];
  for (let t = 0; t < targets.length; t++) {
    const e = uniqueTargets([targets[t]], nMin)[0];
    const same = out.find((x) => sameEntries(x.entries, e.entries));
    if (same) same.members.push(t);
    else out.push({ ...e, members: [t] });
  }
  return out;
}

describe("uniqueTargets against comparing every pair", () => {
  it("finds the same distinct targets, in the same order, with the same members", () => {
    const rowArb = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0.5, 1.5)));
    // Few distinct shapes, repeated: many targets equal or of equal size.
    fc.assert(fc.property(fc.array(fc.array(rowArb, { maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 40 }), (shapes, picks) => {
      const targets = picks.map((p) => entries(shapes[p % shapes.length]));
      const got = uniqueTargets(targets, 4), want = uniqueTargetsByScan(targets, 4);
      expect(got.map((u) => u.members)).toEqual(want.map((u) => u.members));
      expect(got.map((u) => [[...u.entries.min], [...u.entries.bin], [...u.entries.cnt], u.start && [...u.start]]))
        .toEqual(want.map((u) => [[...u.entries.min], [...u.entries.bin], [...u.entries.cnt], u.start && [...u.start]]));
    }));
  });
});

describe("resample with duplicate targets", () => {
  it("gives every copy of a target exactly the statistics it gets alone", () => {
    const batch: Caller = { key: "k-batch", identity: "svc-batch", policies: ["pol-gold"], rate: (p) => (p === "B" ? 2 : 60), latency: (_p, r) => uniform(1000, 3000)(r) };
    const s = makeScenario([batch, steady("k-heavy", 40), ...Array.from({ length: 6 }, (_, i) => steady(`k-${i}`, 5))], { seed: 3 });
    const traffic = indexTraffic(cellsFromRequests(s.requests), s.windows);
    const key = traffic.byKind.key.get("k-batch")!.I;
    const identity = traffic.byKind.identity.get("svc-batch")!.I;
    const union = unionOfKeys(traffic, ["k-heavy", "k-batch"], "I");
    const o = { q: 0.99, iterations: 50, seed: 9, blockMinutes: 1, minRemaining: 50 };
    const together = resample(traffic, [key, identity, union, key], [], o);
    for (const [i, alone] of [[0, key], [1, identity], [2, union], [3, key]] as const) {
      const single = resample(traffic, [alone], [], o);
      expect(Array.from(together.removal[i])).toEqual(Array.from(single.removal[0]));
      expect(Array.from(together.without[i])).toEqual(Array.from(single.without[0]));
    }
    expect(Array.from(together.qRw)).toEqual(Array.from(resample(traffic, [], [], o).qRw));
    expect(together.removal[0][0]).toBeGreaterThan(0.3);
  });
});
