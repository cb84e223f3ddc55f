import { describe, expect, it } from "vitest";
import { indexTraffic } from "./traffic";
import type { TrafficCell } from "./types";

const M = 60_000, T = 1_700_000_040_000 - (1_700_000_040_000 % M);
const cell = (min: number, keyHash: string | null, extra: Partial<TrafficCell> = {}): TrafficCell => ({
  minute: T + min * M, keyHash, identityId: null, oauthClientId: null, policyIds: [], count: 3, errors: 0, bins: [10, 12], binCounts: [1, 2], ...extra,
});

describe("indexTraffic", () => {
  it("gives each group its entries in cell order, per window, and ignores cells outside both", () => {
    const cells = [
      cell(12, "k1", { identityId: "alice", policyIds: ["p2", "p1"] }),
      cell(2, "k2", { bins: [5], binCounts: [3], identityId: "alice" }),
      cell(99, "k1"), // in neither window
      cell(11, "k1", { bins: [], binCounts: [], count: 0 }),
      cell(3, "k1", { policyIds: ["p1"], oauthClientId: "app" }),
    ];
    const t = indexTraffic(cells, { baseline: { from: T, to: T + 10 * M }, incident: { from: T + 10 * M, to: T + 20 * M } });
    expect(t.groups.map((g) => `${g.kind}:${g.id}`)).toEqual(["key:k1", "identity:alice", "policy:p2", "policy:p1", "key:k2", "oauth_client:app"]);
    const k1 = t.byKind.key.get("k1")!;
    expect([...k1.I.min]).toEqual([2, 2]);
    expect([...k1.I.bin]).toEqual([10, 12]);
    expect([...k1.B.min]).toEqual([3, 3]);
    expect([...k1.B.cnt]).toEqual([1, 2]);
    const alice = t.byKind.identity.get("alice")!;
    expect([...alice.B.bin]).toEqual([5]);
    expect([...alice.I.bin]).toEqual([10, 12]);
    expect([...t.byKind.policy.get("p1")!.B.min, ...t.byKind.policy.get("p1")!.I.min]).toEqual([3, 3, 2, 2]);
    expect(k1.countI).toBe(3);
    expect(k1.firstSeenI).toBe(T + 11 * M);
    expect(t.I.total + t.B.total).toBe(9);
  });
});
