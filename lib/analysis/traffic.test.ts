import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BIN_COUNT, histQuantile } from "./histogram";
import { cellsFromRequests, groupQuantile, indexTraffic } from "./traffic";
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
    // First seen is the first minute with a served request (the empty cell of minute 11 is not one).
    expect(k1.firstSeenI).toBe(T + 12 * M);
    expect(t.I.total + t.B.total).toBe(9);
  });

  it("keeps every group's numbers when there are more groups than cells (its columns grow)", () => {
    const policies = Array.from({ length: 40 }, (_, i) => `p${i}`);
    const t = indexTraffic([
      cell(12, "k1", { policyIds: policies, identityId: "alice", count: 3, errors: 1 }),
      cell(3, "k2", { policyIds: policies.slice(20), count: 3 }),
    ], { baseline: { from: T, to: T + 10 * M }, incident: { from: T + 10 * M, to: T + 20 * M } });
    expect(t.groups).toHaveLength(43);
    for (const p of policies.slice(0, 20)) expect([t.byKind.policy.get(p)!.countI, t.byKind.policy.get(p)!.countB, t.byKind.policy.get(p)!.errorsI]).toEqual([3, 0, 1]);
    for (const p of policies.slice(20)) expect([t.byKind.policy.get(p)!.countI, t.byKind.policy.get(p)!.countB, [...t.byKind.policy.get(p)!.B.cnt]]).toEqual([3, 3, [1, 2]]);
    expect(t.byKind.policy.get("p39")!.firstSeenI).toBe(T + 12 * M);
    expect(t.byKind.key.get("k2")!.firstSeenI).toBeNull();
    expect([...t.byKind.identity.get("alice")!.keys]).toEqual(["k1"]);
  });
});

describe("served and rejected requests", () => {
  const windows = { baseline: { from: T, to: T + 10 * M }, incident: { from: T + 10 * M, to: T + 20 * M } };

  it("counts rejected requests per group, window and minute, never as load or latency", () => {
    const t = indexTraffic([
      cell(2, "k1", { rejected: 40, count: 1, bins: [10], binCounts: [1] }),
      cell(12, "k1", { rejected: 0 }),
      cell(13, "k1", { rejected: 5, count: 0, bins: [], binCounts: [] }),
      cell(14, "k2", { rejected: 7, count: 0, bins: [], binCounts: [] }),
    ], windows);
    const k1 = t.byKind.key.get("k1")!, k2 = t.byKind.key.get("k2")!;
    expect([k1.countB, k1.rejectedB, k1.countI, k1.rejectedI]).toEqual([1, 40, 3, 5]);
    expect([t.B.total, t.B.rejected, t.I.total, t.I.rejected]).toEqual([1, 40, 3, 12]);
    expect([...k1.rejectedPerMinI].slice(0, 4)).toEqual([0, 0, 0, 5]);
    expect(k1.rejectedPerMinB[2]).toBe(40);
    expect(k1.perMinB[2]).toBe(1);
    // A caller only ever rejected in I has no served request: it is not "seen", and adds nothing to the histograms.
    expect(k2.firstSeenI).toBeNull();
    expect(k2.histI.every((v) => v === 0)).toBe(true);
  });

  it("tells the gateway's own answers from the upstream's as ingest's aggregates do: 429, or 401/403 without upstream time", () => {
    const req = (status: number, upstreamMs: number | null) =>
      ({ ts: T, latencyMs: 50, status, upstreamMs, keyHash: "k1", identityId: null, policyIds: [], oauthClientId: null });
    const [c] = cellsFromRequests([req(429, null), req(403, null), req(401, 0), req(403, 42), req(401, 7), req(200, 40), req(503, 30)]);
    expect([c.rejected, c.count, c.errors]).toEqual([3, 4, 1]);
  });
});

describe("group histograms and quantiles", () => {
  const windows = { baseline: { from: T, to: T + 10 * M }, incident: { from: T + 10 * M, to: T + 20 * M } };

  it("builds a group's histogram from its entries on first use, as the sum of its cells", () => {
    const t = indexTraffic([cell(12, "k1"), cell(13, "k1", { bins: [12, 40], binCounts: [4, 1], count: 5 })], windows);
    const h = t.byKind.key.get("k1")!.histI;
    expect([h[10], h[12], h[40]]).toEqual([1, 6, 1]);
    expect(t.byKind.key.get("k1")!.histI).toBe(h);
    expect(t.byKind.key.get("k1")!.histB.every((v) => v === 0)).toBe(true);
  });

  it("groupQuantile equals histQuantile of the dense histogram, bit for bit", () => {
    fc.assert(fc.property(
      fc.array(fc.record({ min: fc.integer({ min: 0, max: 19 }), bins: fc.array(fc.integer({ min: 0, max: BIN_COUNT - 1 }), { minLength: 1, maxLength: 6 }) }), { minLength: 1, maxLength: 40 }),
      fc.constantFrom(0.5, 0.95, 0.99),
      (spec, q) => {
        const cells = spec.map((s) => cell(s.min, "k", { bins: s.bins, binCounts: s.bins.map((_, i) => i + 1), count: s.bins.reduce((n, _, i) => n + i + 1, 0) }));
        const g = indexTraffic(cells, windows).byKind.key.get("k")!;
        for (const w of ["I", "B"] as const) {
          const n = w === "I" ? g.countI : g.countB;
          const dense = histQuantile(w === "I" ? g.histI : g.histB, null, n, q);
          expect(Object.is(groupQuantile(g, w, n, q), dense)).toBe(true);
        }
      },
    ));
  });

  it("lists the keys whose requests carry an identity", () => {
    const t = indexTraffic([cell(12, "k1", { identityId: "alice" }), cell(12, "k2"), cell(2, "k3", { identityId: "bob" })], windows);
    expect([...t.keysWithIdentity].sort()).toEqual(["k1", "k3"]);
  });
});
