import { describe, expect, it } from "vitest";
import { indexTraffic, type AccessChange, type TrafficCell } from "@/lib/analysis";
import { idsToLabel } from "./label-ids";
import { CALLERS_SHOWN } from "./result";

const M = 60_000, T = 1_700_000_040_000 - (1_700_000_040_000 % M);
const windows = { baseline: { from: T, to: T + 10 * M }, incident: { from: T + 10 * M, to: T + 20 * M } };
const cell = (min: number, keyHash: string, count: number, extra: Partial<TrafficCell> = {}): TrafficCell => ({
  minute: T + min * M, keyHash, identityId: null, oauthClientId: null, policyIds: [], count, errors: 0, bins: [10], binCounts: [count], ...extra,
});
const change = (c: Partial<AccessChange> & Pick<AccessChange, "id" | "kind" | "targetId">): AccessChange => ({
  action: "update", label: c.id, actor: null, changedAt: T + 5 * M, timeSource: "audit", diff: [], apiIds: [], keyHashes: [], ...c,
});

describe("idsToLabel", () => {
  it("names the suspect candidates, the keys a change can link, and change targets — not every caller", () => {
    // 200 quiet callers: one request each in B (none reaches the candidates, the callers table takes 50).
    const quiet = Array.from({ length: 200 }, (_, i) => cell(1, `quiet-${String(i).padStart(3, "0")}`, 1, { identityId: `person-${i}`, policyIds: [`plan-${i}`] }));
    const cells = [
      ...quiet,
      cell(12, "k-busy", 40, { identityId: "id-busy", policyIds: ["pol-gold"] }),
      cell(12, "k-under-changed", 2, { policyIds: ["pol-changed"] }),
      cell(13, "k-new-client", 1, { oauthClientId: "app-1" }),
    ];
    const traffic = indexTraffic(cells, windows);
    const ids = idsToLabel(traffic, [
      change({ id: "c1", kind: "policy", targetId: "pol-changed" }),
      change({ id: "c2", kind: "key", targetId: "k-rotated", keyHashes: ["k-listed"] }),
      change({ id: "c3", kind: "oauth_client", targetId: "app-1", action: "create" }),
    ], 5);
    expect(ids.keyHashes).toEqual(expect.arrayContaining(["k-busy", "k-under-changed", "k-rotated", "k-listed", "k-new-client"]));
    expect(ids.identityIds).toContain("id-busy");
    expect(ids.policyIds).toEqual(expect.arrayContaining(["pol-gold"]));
    expect(ids.oauthClientIds).toEqual(["app-1"]);
    // The callers table shows CALLERS_SHOWN rows: the quiet identities beyond it are not labelled.
    expect(ids.identityIds.length).toBeLessThanOrEqual(CALLERS_SHOWN + 1);
    expect(ids.policyIds).not.toContain("plan-199");
  });

  it("names a key whose requests carry no identity as a caller of its own", () => {
    const traffic = indexTraffic([cell(12, "k-anon", 1), cell(12, "k-person", 1, { identityId: "alice" })], windows);
    const ids = idsToLabel(traffic, [], 5);
    expect(ids.keyHashes).toEqual(["k-anon"]);
    expect(ids.identityIds).toEqual(["alice"]);
  });
});
