import { describe, expect, it } from "vitest";
import { investigate, planInvestigation } from "./investigate";
import type { AccessChange } from "./types";
import { makeScenario, seriesFromRequests, steady, uniform, type Caller } from "./testing/synthetic-traffic";
import { MINUTE } from "./testing/synthetic-series";

/**
 * The demo: policy "Partner Gold" raised 100 → 2000 req/s; key k-batch under it (batch exports,
 * always 1–3 s, rare before) surges on GET /orders; a heavy-but-normal caller; an unrelated key
 * rotation on another endpoint of the same API.
 */
function demo(seed = 11) {
  const batch: Caller = {
    key: "k-batch", identity: "svc-batch-export", policies: ["pol-gold"],
    rate: (p) => (p === "B" ? 2 : 7000),
    latency: (_p, r) => uniform(1000, 3000)(r),
    sampleRate: 0.05,
  };
  const heavy = steady("k-heavy", 300, { identity: "svc-storefront", policies: ["pol-std"] });
  const others = Array.from({ length: 6 }, (_, i) => steady(`k-${i}`, 20, { policies: ["pol-std"] }));
  const s = makeScenario([batch, heavy, ...others], { seed });
  const base = { actor: "alice@example.com", timeSource: "audit" as const, apiIds: ["api-shop"], keyHashes: [], diff: [] };
  const changes: AccessChange[] = [
    { ...base, id: "chg-gold", kind: "policy", action: "update", targetId: "pol-gold", label: "Partner Gold", changedAt: s.start - 12 * MINUTE,
      diff: [{ path: "rate", before: 100, after: 2000 }, { path: "per", before: 1, after: 1 }] },
    { ...base, id: "chg-rotate", kind: "key", action: "rotate", targetId: "k-rotated", label: "mobile-app key", actor: "bob@example.com",
      changedAt: s.start - 30 * MINUTE, keyHashes: ["k-rotated"] },
    { ...base, id: "chg-other-api", kind: "api", action: "update", targetId: "api-billing", label: "Billing API", apiIds: ["api-billing"], changedAt: s.start - 5 * MINUTE },
  ];
  return { s, changes };
}

describe("investigate (demo scenario)", () => {
  const { s, changes } = demo();
  const series = seriesFromRequests(s.requests);
  const result = investigate({ endpoint: { apiId: "api-shop" }, series, requests: s.requests, changes });

  it("finds the spike at t0 and derives the windows", () => {
    expect(result.spike.kind).toBe("spike");
    if (result.spike.kind === "spike") expect(result.spike.start).toBe(s.start);
    expect(result.windows?.baseline.to).toBe(s.start - 5 * MINUTE);
  });

  it("lists touches: changes reaching the endpoint and traffic shifts (incl. the surge)", () => {
    const ids = result.touches!.changes.map((t) => t.change.id);
    expect(ids).toEqual(["chg-gold", "chg-rotate"]); // the Billing API change does not reach GET /orders
    const batch = result.touches!.shifts.find((x) => x.kind === "key" && x.id === "k-batch")!;
    expect(batch.ratePerMinAfter).toBeGreaterThan(20 * batch.ratePerMinBefore);
  });

  it("ranks the policy change and the batch key first with most of the excess; decoys not significant", () => {
    const v = result.verdict!;
    expect(v.verdict).toBe("explained");
    expect(v.reading).toBe("mix");
    expect(v.suspects[0].id).toBe("chg-gold");
    expect(v.suspects[0].mechanism).toBe("enabled_traffic");
    expect(v.suspects[0].evidence.enables).toMatchObject({ reason: "rate_past_old_limit", keyHashes: ["k-batch"], oldLimitPerMin: 6000 });
    expect(v.suspects[0].actor).toBe("alice@example.com");
    expect(v.suspects[1].id).toBe("k-batch");
    expect(v.suspects[1].mechanism).toBe("volume");
    for (const top of v.suspects.slice(0, 2)) expect(top.share.lo).toBeGreaterThan(0.6);
    const decoys = ["chg-rotate", "k-heavy", "svc-storefront"];
    for (const d of decoys) {
      expect(v.suspects.map((x) => x.id)).not.toContain(d);
      expect(v.notSignificant.map((x) => x.id)).toContain(d);
    }
    expect(v.summary).toMatch(/raised Partner Gold's rate limit from 100 to 2,000 requests per second at \d\d:\d\d UTC; \d+ min later k-batch \(under Partner Gold\) went from [\d.]+ to [\d,]+ requests per minute, and its slow requests explain \d+% of the p99 rise/);
  });

  it("says none and returns no verdict for a series without a spike", () => {
    const quiet = makeScenario([steady("k-1", 30)], { seed: 3 });
    const r = investigate({ endpoint: { apiId: "api-shop" }, series: seriesFromRequests(quiet.requests), requests: quiet.requests, changes });
    expect(r.spike.kind).toBe("none");
    expect(r.verdict).toBeNull();
    expect(planInvestigation(seriesFromRequests(quiet.requests)).windows).toBeNull();
  });
});

describe("investigate: a key rotated shortly before everyone got slower", () => {
  // wayne-partner's key is rotated (same identity, same rate) three minutes before an upstream
  // slowdown hits every caller: the issue's false "noisy neighbour explaining 98%".
  const slow = (p: "B" | "I", r: () => number) => 80 * Math.exp(0.35 * Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r())) * (p === "I" ? 3.5 : 1);
  const oldKey: Caller = { key: "k-old", identity: "id-wayne", policies: ["gold"], rate: (p, m) => (p === "B" && m < 62 ? 120 : 0), latency: slow };
  const newKey: Caller = { key: "k-new", identity: "id-wayne", policies: ["gold"], rate: (p, m) => (p === "I" || m >= 62 ? 120 : 0), latency: slow };
  const s = makeScenario([oldKey, newKey, ...Array.from({ length: 5 }, (_, i) => steady(`k-${i}`, 30, { policies: ["std"], latency: slow }))], { seed: 41 });
  const result = investigate({ endpoint: { apiId: "api-shop" }, series: seriesFromRequests(s.requests), requests: s.requests, changes: [] });

  it("carries the old key's traffic on under the new one: nobody is blamed, the rotation is shown as one", () => {
    expect(result.rotations).toEqual([expect.objectContaining({ from: "k-old", to: "k-new", source: "same_identity" })]);
    expect(result.verdict?.suspects).toEqual([]);
    expect(result.verdict?.summary).toMatch(/^No caller, key or access change explains this; all callers slowed ×3\.\d at /);
    const shift = result.touches?.shifts.find((x) => x.id === "k-new");
    expect(shift?.new).toBe(false);
    expect(result.verdict?.notSignificant.find((x) => x.id === "k-new")?.evidence.rotatedFrom).toEqual([expect.objectContaining({ keyHash: "k-old" })]);
  });
});
