import { describe, expect, it } from "vitest";
import { groupByCause } from "./cause-groups";
import { summarise } from "./verdict-text";
import type { Suspect, SuspectEvidence } from "./types";

const T = Date.UTC(2026, 11, 7, 9, 26);
const MIN = 60_000;
const share = { point: 0.956, lo: 0.948, hi: 0.961 };
const evidence = (extra: Partial<SuspectEvidence> = {}): SuspectEvidence => ({
  requestsBefore: 0, requestsAfter: 2021, rejectedBefore: 0, rejectedAfter: 0, ratePerMinBefore: 0, ratePerMinAfter: 44.91,
  p99Before: null, p99After: 3300, p99Without: 210, exemplarTraceIds: [], bootstrapped: true, ...extra,
} as SuspectEvidence);
const suspect = (kind: Suspect["kind"], id: string, label: string, extra: Partial<Suspect> = {}, ev: Partial<SuspectEvidence> = {}): Suspect => ({
  kind, id, label, share, pValue: 0.001, qValue: 0.001, significant: true, mechanism: "volume", evidence: evidence(ev), ...extra,
});

// The demo's incident as the engine ranks it: the policy change, the key it let in, the key's
// identity and the policy as a caller group, all covering the same 2,021 requests.
const detail = "globex-batch (under partner-gold) started 5 min after the limit rose 100 → 2000/s";
const change = suspect("access_change", "chg1", "partner-gold", { mechanism: "enabled_traffic", changedAt: T - 5 * MIN, actor: "ada@acme.test" }, {
  diff: [{ path: "rate", before: 100, after: 2000 }],
  enables: {
    changeId: "chg1", reason: "traffic_started_after_limit_raised", keyHashes: ["kh"], oldLimitPerMin: 6000, newLimitPerMin: 120000, relaxed: ["rate"],
    keys: [{ keyHash: "kh", label: "globex-batch", evidence: "started", ratePerMinBefore: 0, ratePerMinAfter: 44.91, minutesAfterChange: 5, detail }], detail,
  },
});
const key = suspect("key", "kh", "globex-batch", {}, { enabledBy: [{ changeId: "chg1", label: "partner-gold", reason: "traffic_started_after_limit_raised", detail }] });
const identity = suspect("identity", "id1", "globex-batch");
const policy = suspect("policy", "pol1", "partner-gold");
const other = suspect("key", "k2", "web-frontend", { mechanism: "own_latency", share: { point: 0.3, lo: 0.2, hi: 0.4 } }, { requestsBefore: 241, requestsAfter: 228 });

describe("groupByCause", () => {
  it("makes the change, the key it let in, its identity and its policy one cause led by the change", () => {
    const groups = groupByCause([change, key, identity, policy, other]);
    expect(groups.map((g) => [g.lead.id, g.also.map((s) => s.id)])).toEqual([["chg1", ["kh", "id1", "pol1"]], ["k2", []]]);
  });

  it("keeps the chain together when the key is ranked above the change, and places it by its best rank", () => {
    const groups = groupByCause([other, identity, key, change]);
    expect(groups.map((g) => [g.lead.id, g.also.map((s) => s.id)])).toEqual([["k2", []], ["chg1", ["id1", "kh"]]]);
  });

  it("never merges two access changes, nor a change with callers it did not let in", () => {
    const second = { ...change, id: "chg2", evidence: evidence() };
    const groups = groupByCause([second, other, { ...change, evidence: evidence({ enables: { ...change.evidence.enables!, keyHashes: ["nope"] } }) }]);
    expect(groups.map((g) => g.also.length)).toEqual([0, 0, 0]);
  });

  it("joins a created OAuth client or key to the change that created it, and tells what it then sent", () => {
    const made = suspect("access_change", "chg9", "umbrella-mobile", { mechanism: "enabled_traffic", changedAt: T - 8 * MIN, actor: "ada@acme.test" }, {
      enables: { changeId: "chg9", reason: "new_oauth_client", keyHashes: ["t1", "t2"] },
    });
    const client = suspect("oauth_client", "oc1", "umbrella-mobile", {}, { ratePerMinBefore: 0, ratePerMinAfter: 88, requestsAfter: 3000 });
    const groups = groupByCause([made, client, other]);
    expect(groups.map((g) => [g.lead.id, g.also.map((s) => s.id)])).toEqual([["chg9", ["oc1"]], ["k2", []]]);
    const text = summarise([made, client], [], "mix", "p99", 181, 1810, null, T);
    expect(text).toMatch(/ ada@acme\.test created umbrella-mobile at 09:18 UTC; it went from 0 to 88 requests per minute, and its slow requests explain 96% of the p99 rise \(90% CI 95–96%\)\.$/);
    expect(text.match(/of the p99 rise/g)).toHaveLength(1);
  });

  it("still groups callers with identical evidence when no change is involved", () => {
    const groups = groupByCause([key, identity, other].map((s) => ({ ...s, evidence: { ...s.evidence, enabledBy: undefined } })));
    expect(groups.map((g) => [g.lead.id, g.also.map((s) => s.id)])).toEqual([["kh", ["id1"]], ["k2", []]]);
  });
});

describe("the verdict as one story per cause", () => {
  it("tells the chain once: who changed what (with units), what followed, and how much it explains", () => {
    const text = summarise([change, key, identity, policy], [], "mix", "p99", 190, 3118, null, T);
    expect(text).toBe(
      "p99 rose from 190 ms to 3118 ms at 09:26 UTC; the mix of callers changed (someone's volume of slow requests grew). "
      + "ada@acme.test raised partner-gold's rate limit from 100 to 2,000 requests per second at 09:21 UTC; "
      + "5 min later globex-batch (under partner-gold) went from 0 to 45 requests per minute, and its slow requests explain 96% of the p99 rise (90% CI 95–96%).",
    );
    expect(text).not.toMatch(/q =|explains 96%.*explains 96%/);
  });

  it("names a caller cause with what else covers the same requests, and a second cause as its own sentence", () => {
    const text = summarise([other, { ...key, evidence: { ...key.evidence, enabledBy: undefined } }, identity, policy], [], "mixed", "p99", 190, 600, null, T);
    expect(text).toMatch(/ Key web-frontend got slower and explains 30% of the p99 rise \(90% CI 20–40%\)\. Key globex-batch \(policy partner-gold\) sent more slow requests \(from 0 to 45 per minute\) and explains 96%/);
  });

  it("says limits in the unit they were set in, per second or per minute", async () => {
    const { limitText } = await import("./cause-text");
    expect(limitText(6000)).toBe("100 requests per second");
    expect(limitText(90)).toBe("90 requests per minute");
    expect(limitText(40)).toBe("40 requests per minute");
    const { limitRange } = await import("./cause-text");
    expect(limitRange(6000, 120000)).toBe("from 100 to 2,000 requests per second");
    expect(limitRange(30, 6000)).toBe("from 30 requests per minute to 100 requests per second");
  });
});
