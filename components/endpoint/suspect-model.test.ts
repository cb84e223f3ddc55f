import { describe, expect, it } from "vitest";
import type { SuspectJson } from "@/lib/investigation/result";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { chainText, externalTraceUrl, formatQ, groupSuspects, linkDetail, readingText, reasonText, relatedChanges, shareGeometry, suspectLinks, typeText } from "./suspect-model";

function suspect(p: Partial<SuspectJson> & Pick<SuspectJson, "kind" | "id" | "label">, ev: Partial<SuspectJson["evidence"]> = {}): SuspectJson {
  return {
    rank: 1, identity: null, changedAt: null, actor: null, timeSource: null, share: { point: 0.9, lo: 0.8, hi: 0.95 }, qValue: 0,
    significant: true, mechanism: "volume",
    ...p,
    evidence: { requestsBefore: 0, requestsAfter: 2000, p99Before: null, p99After: 3000, p99With: 3100, p99Without: 270, exemplarTraceIds: [], ...ev },
  };
}

const marker = (m: Partial<ChangeMarker> & Pick<ChangeMarker, "id">): ChangeMarker => ({
  at: 0, kind: "policy", action: "update", label: "partner-gold", targetId: "pol-1", actor: "ada@acme.test", timeSource: "audit", diff: [], ...m,
});

describe("groupSuspects", () => {
  it("merges a key, its identity and its policy when they cover the same requests", () => {
    const rows = groupSuspects([
      suspect({ kind: "key", id: "k1", label: "globex-batch", rank: 1 }),
      suspect({ kind: "identity", id: "i1", label: "globex-batch", rank: 2 }),
      suspect({ kind: "policy", id: "p1", label: "partner-gold", rank: 3 }),
      suspect({ kind: "key", id: "k2", label: "web", rank: 4 }, { requestsAfter: 10 }),
    ]);
    expect(rows.map((r) => [r.lead.id, r.also.map((a) => a.id)])).toEqual([["k1", ["i1", "p1"]], ["k2", []]]);
  });

  it("makes a change, the key it let in and that key's identity one row, led by the change and told as a chain", () => {
    const detail = "globex-batch (under partner-gold) started 5 min after the limit rose 100 → 2000/s";
    const enables = { changeId: "c1", reason: "traffic_started_after_limit_raised" as const, keyHashes: ["k1"], detail };
    const rows = groupSuspects([
      suspect({ kind: "key", id: "k1", label: "globex-batch", rank: 1 }),
      suspect({ kind: "access_change", id: "c1", label: "partner-gold", rank: 2 }, { requestsAfter: 2000, enables }),
      suspect({ kind: "identity", id: "i1", label: "globex-batch", rank: 3 }),
      suspect({ kind: "policy", id: "p1", label: "partner-gold", rank: 4 }),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.lead.id).toBe("c1");
    expect(chainText(rows[0]!)).toBe("Access change partner-gold → key globex-batch");
    expect(linkDetail(rows[0]!)).toBe(detail);
  });

  it("never merges access changes, nor callers with no requests", () => {
    const rows = groupSuspects([
      suspect({ kind: "access_change", id: "c1", label: "a" }),
      suspect({ kind: "access_change", id: "c2", label: "b" }),
      suspect({ kind: "key", id: "k1", label: "x" }, { requestsAfter: 0 }),
      suspect({ kind: "identity", id: "i1", label: "x" }, { requestsAfter: 0 }),
    ]);
    expect(rows).toHaveLength(4);
  });
});

describe("links", () => {
  it("links a policy change to the policy's history through its marker's target", () => {
    const s = suspect({ kind: "access_change", id: "chg-1", label: "partner-gold" });
    expect(suspectLinks(s, new Map([["chg-1", marker({ id: "chg-1", targetId: "ef93" })]]))[0]?.href).toBe("/policies/ef93");
  });

  it("prefers a targetId carried by the suspect itself, and gives none when the target is unknown", () => {
    const s = { ...suspect({ kind: "access_change", id: "chg-2", label: "k" }), targetId: "hash/1", targetKind: "key" };
    expect(suspectLinks(s, new Map())[0]?.href).toBe("/keys/hash%2F1");
    expect(suspectLinks(suspect({ kind: "access_change", id: "chg-3", label: "?" }), new Map())).toEqual([]);
  });

  it("links keys and policies directly", () => {
    expect(suspectLinks(suspect({ kind: "key", id: "abc", label: "globex-batch" }), new Map())[0]?.href).toBe("/keys/abc");
    expect(suspectLinks(suspect({ kind: "policy", id: "p1", label: "gold" }), new Map())[0]?.href).toBe("/policies/p1");
  });

  it("deep-links a trace to the backend only when a span of it is known", () => {
    const ui = { base: "https://app.lightstep.com/production", spans: { t1: "s1" } };
    expect(externalTraceUrl("t1", ui)).toBe("https://app.lightstep.com/production/trace?span_guid=s1");
    expect(externalTraceUrl("t2", ui)).toBeNull();
    expect(externalTraceUrl("t1", { base: null, spans: { t1: "s1" } })).toBeNull();
  });
});

describe("display helpers", () => {
  it("clamps and orders the share interval for drawing", () => {
    expect(shareGeometry({ point: 0.964, lo: 0.955, hi: 0.97 })).toEqual({ point: 96.39999999999999, lo: 95.5, hi: 97 });
    expect(shareGeometry({ point: -0.001, lo: 0.2, hi: -0.3 })).toEqual({ point: 0, lo: 0, hi: 20 });
    expect(shareGeometry({ point: 1.4, lo: 1.1, hi: 1.6 }).hi).toBe(100);
  });

  it("explains each reading", () => {
    expect(readingText("mix")).toMatch(/mix/i);
    expect(readingText(null)).toBeNull();
  });
});

describe("relatedChanges", () => {
  const key = suspect({ kind: "key", id: "k1", label: "globex-batch" });
  const policy = suspect({ kind: "policy", id: "pol-1", label: "partner-gold" });
  const markers = [
    marker({ id: "m-policy", targetId: "pol-1", at: 100 }),
    marker({ id: "m-key", kind: "key", targetId: "k1", at: 50 }),
    marker({ id: "m-other", targetId: "pol-2", at: 60 }),
    marker({ id: "m-late", targetId: "pol-1", at: 500 }),
  ];

  it("finds changes to the suspect's key and to the policy its requests ran under, newest first, up to the window's end", () => {
    expect(relatedChanges({ lead: key, also: [policy] }, markers, 200).map((m) => m.id)).toEqual(["m-policy", "m-key"]);
  });

  it("includes the changes the engine says enabled it", () => {
    const enabled = suspect({ kind: "key", id: "k9", label: "x" }, { enabledBy: [{ changeId: "m-other", label: "y", reason: "new_key" }] });
    expect(relatedChanges({ lead: enabled, also: [] }, markers, 200).map((m) => m.id)).toEqual(["m-other"]);
  });

  it("formats q-values", () => {
    expect(formatQ(0)).toBe("<0.001");
    expect(formatQ(0.0421)).toBe("0.042");
  });
});

describe("reasonText", () => {
  it("states the mechanism for a suspect and frames it as rejected otherwise", () => {
    expect(reasonText({ mechanism: "enabled_traffic", significant: true })).toBe("Why: it let in the traffic that caused the spike");
    expect(reasonText({ mechanism: "enabled_traffic", significant: false })).toMatch(/^Checked whether it let in .* does not support it$/);
  });
});

describe("typeText", () => {
  const anomaly = { metric: "p99", hour: "2026-11-19T09:00:00.000Z", baseline: 150, observed: 600, factor: 4 };
  it("says what a user type did and the anomaly that made it a suspect", () => {
    const slowed = suspect({ kind: "user_type", id: "policy:p1", label: "Policy partner-gold", mechanism: "own_latency" }, { p99Before: 200, p99After: 900, anomaly });
    expect(typeText(slowed)).toBe("Callers of type Policy partner-gold got ×4.5 slower — p99 anomaly ×4 its baseline");
    const louder = suspect({ kind: "user_type", id: "kind:person", label: "People", mechanism: "volume" },
      { ratePerMinBefore: 10, ratePerMinAfter: 30, anomaly: { ...anomaly, metric: "volume", factor: 3 } });
    expect(typeText(louder)).toBe("Callers of type People sent ×3 more requests — volume anomaly ×3 its baseline");
    expect(chainText({ lead: louder, also: [] })).toBe("User type People");
  });

  it("is null for every other kind", () => {
    expect(typeText(suspect({ kind: "policy", id: "p1", label: "partner-gold" }))).toBeNull();
  });
});
