import { describe, expect, it } from "vitest";
import { createWorld } from "./index";
import type { SimRequest } from "./types";

// A fixed anchor well in the past, so every minute of the day is "before the wall clock".
const anchor = new Date("2026-03-10T15:00:00Z");
const world = createWorld({ seed: 7, anchor });
const T = anchor.getTime();
const H = 3_600_000;

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(0.99 * (s.length - 1))];
};
const isGetOrders = (r: SimRequest) => r.method === "GET" && r.template === "/orders";

describe("createWorld", () => {
  it("is deterministic for a seed and anchor", () => {
    const other = createWorld({ seed: 7, anchor });
    const minute = T - 2 * H;
    expect(other.requestsInMinute(minute)).toEqual(world.requestsInMinute(minute));
    expect(other.events).toEqual(world.events);
    expect(other.stateAt(anchor)).toEqual(world.stateAt(anchor));
    const different = createWorld({ seed: 8, anchor });
    expect(different.requestsInMinute(minute)).not.toEqual(world.requestsInMinute(minute));
  });

  it("includes the demo IdP people", () => {
    const emails = world.identities.map((i) => i.email);
    expect(emails).toEqual(expect.arrayContaining(["ada@acme.test", "rui@acme.test", "vera@acme.test", "bob@globex.test"]));
    const services = world.identities.filter((i) => i.kind === "service").map((i) => i.name);
    expect(services).toEqual(expect.arrayContaining(["search-indexer", "billing-worker", "globex-batch"]));
  });

  it("has a modest, realistic volume with unique ids and a trace id per request", () => {
    const day = world.requestsBetween(T - 24 * H, T);
    expect(day.length).toBeGreaterThan(100_000);
    expect(day.length).toBeLessThan(300_000);
    expect(new Set(day.map((r) => r.id)).size).toBe(day.length);
    const untraced = (r: SimRequest) => r.template.startsWith("/ledger/");
    expect(day.every((r) => (untraced(r) ? r.traceId === "" : /^[0-9a-f]{32}$/.test(r.traceId)) && /^[0-9a-f]{16}$/.test(r.spanId))).toBe(true);
    expect(day.filter(untraced).length).toBeGreaterThan(1000);
    const errors = day.filter((r) => r.status >= 500).length / day.length;
    expect(errors).toBeGreaterThan(0);
    expect(errors).toBeLessThan(0.02);
    expect(new Set(day.map((r) => `${r.method} ${r.template}`)).size).toBeGreaterThanOrEqual(10);
  }, 60_000); // a whole simulated day: seconds on a loaded machine

  it("applies events to state: partner-gold rate 100 before the edit, 2000 after", () => {
    const edit = world.events.find((e) => e.kind === "policy" && e.description.includes("partner-gold"))!;
    expect(edit.actor).toBe("ada@acme.test");
    expect(edit.method).toBe("PUT");
    expect(edit.url).toBe(`/api/portal/policies/${world.incident.policyId}`);
    expect(edit.at.getTime()).toBe(T - 125 * 60_000);
    const gold = (t: number) => world.stateAt(new Date(t)).policies.find((p) => p.id === world.incident.policyId)!;
    expect(gold(edit.at.getTime() - 1).rate).toBe(100);
    expect(gold(edit.at.getTime()).rate).toBe(2000);
  });

  it("shows the incident: GET /orders p99 jumps during the spike, driven by the culprit key", () => {
    const { spikeStart, spikeEnd, culpritKeyHash } = world.incident;
    const before = world.requestsBetween(spikeStart.getTime() - 3 * H, spikeStart.getTime() - 10 * 60_000).filter(isGetOrders);
    const during = world.requestsBetween(spikeStart.getTime(), spikeEnd.getTime()).filter(isGetOrders);
    expect(p99(before.map((r) => r.latencyMs))).toBeLessThan(300);
    expect(p99(during.map((r) => r.latencyMs))).toBeGreaterThan(1000);
    const culprit = during.filter((r) => r.keyHash === culpritKeyHash);
    expect(culprit.length / during.length).toBeGreaterThan(0.3);
    expect(culprit.every((r) => r.keyAlias === "globex-batch" && r.policyIds.includes(world.incident.policyId))).toBe(true);
    expect(before.filter((r) => r.keyHash === culpritKeyHash)).toHaveLength(0);
    // Innocent callers on the same endpoint get only modestly slower.
    const others = during.filter((r) => r.keyHash !== culpritKeyHash);
    expect(p99(others.map((r) => r.latencyMs))).toBeLessThan(1000);
  });

  it("contains the decoys", () => {
    const rotation = world.events.filter((e) => e.actor === "rui@acme.test" && e.description.includes("mobile-app"));
    expect(rotation.map((e) => e.action)).toEqual(["rotate", "revoke"]);
    expect(rotation[0].at.getTime()).toBe(T - 130 * 60_000);
    const mobile = (t: number) => world.stateAt(new Date(t)).keys.filter((k) => k.alias === "mobile-app");
    const [oldKey] = mobile(T - 3 * H);
    const [newKey] = mobile(T);
    expect(mobile(T)).toHaveLength(1);
    expect(newKey.hash).not.toBe(oldKey.hash);
    const payments = world.requestsBetween(T - 3 * H, T).filter((r) => r.keyAlias === "mobile-app" && r.template === "/payments/{id}");
    expect(payments.length).toBeGreaterThan(100);

    const day = world.requestsBetween(T - 24 * H, T);
    const indexer = day.filter((r) => r.serviceName === "search-indexer" && isGetOrders(r));
    expect(indexer.length).toBeGreaterThan(20_000);
    const earlyIndexer = indexer.filter((r) => r.ts < world.incident.spikeStart.getTime() - H);
    expect(p99(earlyIndexer.map((r) => r.latencyMs))).toBeLessThan(300);
    const exports = day.filter((r) => r.template === "/reports/export");
    expect(exports.length).toBeGreaterThan(100);
    const sorted = exports.map((r) => r.latencyMs).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(1500);
  }, 60_000); // a whole simulated day: seconds on a loaded machine

  it("holds the coverage, environment and user-type gaps", () => {
    const state = world.stateAt(anchor);
    const ledger = state.apis.find((a) => a.slug === "ledger")!;
    expect(ledger.detailedTracing).toBe(false);
    expect(state.apis.find((a) => a.slug === "shipping")!.tags).toContain("prd");
    expect(state.keys.filter((k) => k.alias === "")).toHaveLength(3);
    const g = world.groupAnomaly;
    const labels = world.requestsBetween(T - 4 * H, T).filter((r) => r.method === g.method && r.template === g.template);
    const kiosk = (r: SimRequest) => r.policyIds.includes(g.policyId);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const before = labels.filter((r) => r.ts < g.start.getTime());
    const after = labels.filter((r) => r.ts >= g.start.getTime());
    expect(median(after.filter(kiosk).map((r) => r.upstreamMs))).toBeGreaterThan(3 * median(before.filter(kiosk).map((r) => r.upstreamMs)));
    // The other caller of the endpoint is untouched: the anomaly belongs to the group, not the endpoint.
    const others = (rs: SimRequest[]) => median(rs.filter((r) => !kiosk(r)).map((r) => r.upstreamMs));
    expect(others(after)).toBeLessThan(1.3 * others(before));
  });

  it("stops at the wall clock and keeps flowing after the anchor", () => {
    const live = createWorld({ seed: 7 });
    expect(live.requestsInMinute(Date.now() + 120_000)).toEqual([]);
    const recent = live.requestsBetween(Date.now() - 10 * 60_000, Date.now() + 60_000);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((r) => r.ts <= Date.now())).toBe(true);
    expect(world.requestsInMinute(T + H).length).toBeGreaterThan(0);
  });
});
