import { describe, expect, it } from "vitest";
import { attribute } from "./attribute";
import { cellsFromRequests, indexTraffic } from "./traffic";
import { findChangeTouches } from "./touches";
import { makeScenario, normal80, steady, uniform } from "./testing/synthetic-traffic";

describe("the most specific suspect first", () => {
  it("ranks the one member that earns a broad policy's share first, and names the policy and what its other keys add", () => {
    // partner-gold has eight keys; only wayne-partner's requests got expensive.
    const gold = Array.from({ length: 8 }, (_, i) => steady(`k-gold-${i}`, 15, { policies: ["partner-gold"], identity: `id-gold-${i}` }));
    gold[0] = { ...gold[0], latency: (p, r) => (p === "I" ? uniform(1200, 2000)(r) : normal80(r)) };
    const s = makeScenario([...gold, ...Array.from({ length: 3 }, (_, i) => steady(`k-std-${i}`, 40, { policies: ["standard"] }))], { seed: 31 });
    const traffic = indexTraffic(cellsFromRequests(s.requests), s.windows);
    const v = attribute(traffic, findChangeTouches([], traffic, { apiId: "api-shop", start: s.start }), {
      start: s.start, labels: { key: { "k-gold-0": "wayne-partner" }, policy: { "partner-gold": "partner-gold" } },
    });
    expect(v.suspects[0]).toMatchObject({ kind: "key", id: "k-gold-0", label: "wayne-partner" });
    expect(v.suspects[0].evidence.within).toMatchObject({ kind: "policy", id: "partner-gold", label: "partner-gold", otherKeys: 7 });
    expect(v.suspects[0].evidence.within!.othersAdd).toBeLessThan(0.1);
    expect(v.summary).toMatch(/Key wayne-partner \(identity [^)]+\) got slower and explains \d+% of the p99 rise \(90% CI [^)]+\) — under partner-gold, whose other keys add \d+%/);
    // The policy's typical key did not get slower: it is context, not a suspect of its own.
    const policyRank = v.suspects.findIndex((x) => x.id === "partner-gold");
    expect(policyRank === -1 || policyRank > 0).toBe(true);
  });
});
