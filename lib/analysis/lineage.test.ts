import { describe, expect, it } from "vitest";
import { keyLineage, withLineage } from "./lineage";
import type { AccessChange, TrafficCell } from "./types";

const M = 60_000, T = Date.UTC(2026, 10, 19, 8, 0);
const windows = { baseline: { from: T, to: T + 60 * M }, incident: { from: T + 65 * M, to: T + 95 * M } };
const cells = (key: string, from: number, to: number, extra: Partial<TrafficCell> = {}): TrafficCell[] =>
  Array.from({ length: to - from }, (_, i) => ({
    minute: T + (from + i) * M, keyHash: key, identityId: null, oauthClientId: null, policyIds: ["gold"], count: 10, errors: 0, bins: [50], binCounts: [10], ...extra,
  }));
const rotate = (to: string, from: string, at: number): AccessChange => ({
  id: "rot", kind: "key", action: "rotate", targetId: to, label: "k", actor: "ada@acme.test", changedAt: T + at * M, timeSource: "audit", diff: [], apiIds: [], keyHashes: [to, from],
});

describe("keyLineage", () => {
  it("links a key to the one that carries on its traffic with the same identity, across a grace-period overlap", () => {
    const l = keyLineage([...cells("old", 0, 50, { identityId: "wayne" }), ...cells("new", 48, 95, { identityId: "wayne" }), ...cells("other", 0, 95)], windows, []);
    expect(l.rotations).toEqual([{ from: "old", to: "new", at: T + 48 * M, source: "same_identity" }]);
    const merged = withLineage(cells("old", 0, 2, { identityId: "wayne" }), l);
    expect(merged.map((c) => c.keyHash)).toEqual(["new", "new"]);
  });

  it("follows a rotate change whichever key it names as its target (the one whose requests stop first is the old one)", () => {
    const l = keyLineage([...cells("old", 0, 30), ...cells("new", 25, 95), ...cells("a", 0, 95), ...cells("b", 0, 95)], windows, [{ ...rotate("old", "new", 25), targetId: "old" }]);
    expect(l.rotations.map((r) => [r.from, r.to, r.source])).toEqual([["old", "new", "rotate_change"]]);
  });

  it("follows an audited rotate change, and resolves chains to the last key", () => {
    const l = keyLineage([...cells("a", 0, 20), ...cells("b", 20, 40), ...cells("c", 40, 95)], windows, [rotate("b", "a", 20), rotate("c", "b", 40)]);
    expect(l.rotations.map((r) => [r.from, r.to, r.source])).toEqual([["a", "b", "rotate_change"], ["b", "c", "rotate_change"]]);
    expect([...l.successor]).toEqual([["a", "c"], ["b", "c"]]);
  });

  it("merges anonymous keys on the same policies only when the pair is the only one", () => {
    const one = keyLineage([...cells("x", 0, 30), ...cells("y", 31, 95)], windows, []);
    expect(one.rotations.map((r) => r.source)).toEqual(["same_policies"]);
    const two = keyLineage([...cells("x", 0, 30), ...cells("y", 31, 95), ...cells("z", 32, 95)], windows, []);
    expect(two.rotations).toEqual([]);
  });

  it("does not link keys of different identities, keys far apart in time, or a key that kept going", () => {
    expect(keyLineage([...cells("old", 0, 30, { identityId: "a" }), ...cells("new", 31, 95, { identityId: "b" })], windows, []).rotations).toEqual([]);
    expect(keyLineage([...cells("old", 0, 10, { identityId: "a" }), ...cells("new", 60, 95, { identityId: "a" })], windows, []).rotations).toEqual([]);
    expect(keyLineage([...cells("old", 0, 95, { identityId: "a" }), ...cells("new", 40, 95, { identityId: "a" })], windows, []).rotations).toEqual([]);
  });
});
