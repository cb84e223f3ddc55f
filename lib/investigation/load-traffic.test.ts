import { describe, expect, it } from "vitest";
import { cellsOfBins } from "./load-traffic";

const row = (minute: number, key: string | null, bin: number, n: number, extra: { policy_ids?: string[]; e?: number } = {}) => ({
  minute, key_hash: key, identity_id: null, oauth_client_id: null, policy_ids: extra.policy_ids ?? [], bin, n, e: extra.e ?? 0,
});

describe("cellsOfBins", () => {
  it("folds (caller-minute, bin) rows into cells with their bins ascending", () => {
    const cells = cellsOfBins([
      row(60_000, "k1", 30, 2, { e: 1 }), row(60_000, "k2", 5, 1), row(60_000, "k1", 12, 3), row(120_000, "k1", 7, 1), row(60_000, "k1", 20, 1),
    ]);
    expect(cells).toEqual([
      { minute: 60_000, keyHash: "k1", identityId: null, oauthClientId: null, policyIds: [], count: 6, errors: 1, bins: [12, 20, 30], binCounts: [3, 1, 2] },
      { minute: 60_000, keyHash: "k2", identityId: null, oauthClientId: null, policyIds: [], count: 1, errors: 0, bins: [5], binCounts: [1] },
      { minute: 120_000, keyHash: "k1", identityId: null, oauthClientId: null, policyIds: [], count: 1, errors: 0, bins: [7], binCounts: [1] },
    ]);
  });

  it("keeps callers apart by their policies (sorted) and tells a missing key from an empty one", () => {
    const cells = cellsOfBins([row(0, "k", 1, 1, { policy_ids: ["b", "a"] }), row(0, "k", 1, 1, { policy_ids: ["a"] }), row(0, null, 1, 1), row(0, "", 1, 1)]);
    expect(cells.map((c) => [c.keyHash, c.policyIds])).toEqual([["k", ["a", "b"]], ["k", ["a"]], [null, []], ["", []]]);
  });
});
