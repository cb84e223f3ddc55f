import { describe, expect, it } from "vitest";
import { causesBeforeEffects } from "./cause-order";
import { answerViolations } from "./invariants";
import type { Suspect, Verdict } from "./types";

const suspect = (kind: Suspect["kind"], id: string, point: number, lo: number, enables?: string[]): Suspect => ({
  kind, id, label: id, share: { point, lo, hi: 1 }, pValue: 0, qValue: 0, significant: true,
  mechanism: kind === "access_change" ? "enabled_traffic" : "volume",
  evidence: {
    requestsBefore: 10, requestsAfter: 100, rejectedBefore: 0, rejectedAfter: 0, ratePerMinBefore: 0.2, ratePerMinAfter: 2,
    p99Before: 200, p99After: 900, p99Without: 210, counterfactual: "requests_removed", bootstrapped: true,
    ...(enables ? { enables: { changeId: id, reason: "rate_past_old_limit" as const, keyHashes: enables } } : {}),
  },
});
const ids = (list: Suspect[]) => list.map((s) => s.id);

describe("causesBeforeEffects: the change before the key it enabled", () => {
  // The density bench at 100 req/s: on the weighted sample the key's lower bound read 1.000 and the
  // raise's 0.991, over every request both 1.000 — the ranking by lower bound flipped the chain.
  const key = suspect("key", "k-culprit", 1, 1);
  const identity = suspect("identity", "id-culprit", 1, 1);
  const raise = suspect("access_change", "chg-raise", 1, 0.991, ["k-culprit"]);
  const policy = suspect("policy", "pol-culprit", 0.97, 0.9);

  it("puts a tying change before its key, whichever lower bound the resamples gave", () => {
    expect(ids(causesBeforeEffects([key, identity, raise, policy]))).toEqual(["chg-raise", "k-culprit", "id-culprit", "pol-culprit"]);
    expect(ids(causesBeforeEffects([raise, key, identity, policy]))).toEqual(["chg-raise", "k-culprit", "id-culprit", "pol-culprit"]);
  });

  it("treats shares equal as shown (whole percent) as a tie", () => {
    const almost = suspect("access_change", "chg-raise", 0.996, 0.95, ["k-culprit"]);
    expect(ids(causesBeforeEffects([key, almost]))).toEqual(["chg-raise", "k-culprit"]);
  });

  it("leaves a change that explains visibly less than its key where its lower bound put it", () => {
    const partial = suspect("access_change", "chg-raise", 0.6, 0.4, ["k-culprit"]);
    expect(ids(causesBeforeEffects([key, identity, partial]))).toEqual(["k-culprit", "id-culprit", "chg-raise"]);
  });

  it("does not move a change past keys it did not enable, nor a caller", () => {
    const other = suspect("key", "k-other", 1, 1);
    const unrelated = suspect("access_change", "chg-other", 1, 0.99, ["k-else"]);
    expect(ids(causesBeforeEffects([other, key, raise]))).toEqual(["k-other", "chg-raise", "k-culprit"]);
    expect(ids(causesBeforeEffects([other, unrelated]))).toEqual(["k-other", "chg-other"]);
  });

  it("is an order the answer's invariants accept, and only for the key the change enabled", () => {
    const verdict = (suspects: Suspect[]) => ({ suspects, notSignificant: [], stats: { qIncident: 900 } }) as unknown as Verdict;
    expect(answerViolations(verdict(causesBeforeEffects([key, raise])))).toEqual([]);
    const other = suspect("key", "k-other", 1, 1);
    expect(answerViolations(verdict([raise, other]))).toEqual(["rank 2 (k-other) has a higher lower bound than rank 1 (chg-raise)"]);
  });
});
