import { describe, expect, it } from "vitest";
import { congested, congestion, KNEE_MS, SATURATED_MS } from "./congestion";
import { createWorld } from "./index";
import type { SimRequest, World } from "./types";

// Latency follows the load the gateway admits: a limit written on the culprit's policy during the
// seeded flood brings everyone's GET /orders latency back; without one the world is as it always was.
const anchor = new Date("2026-03-10T15:00:00Z");
const MIN = 60_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const getOrders = (r: SimRequest) => r.method === "GET" && r.template === "/orders";

function minutes(world: World, from: number, to: number, order: "forward" | "backward" = "forward"): SimRequest[] {
  const starts: number[] = [];
  for (let m = from; m < to; m += MIN) starts.push(m);
  if (order === "backward") starts.reverse();
  return starts.flatMap((m) => world.requestsInMinute(m));
}

describe("congestion of the Orders upstream", () => {
  it("is nothing up to the knee, full from saturation, linear between", () => {
    expect(congestion(KNEE_MS)).toBe(0);
    expect(congestion(SATURATED_MS + 1)).toBe(1);
    expect(congestion((KNEE_MS + SATURATED_MS) / 2)).toBeCloseTo(0.5);
    expect(congested(100, 1.6, 1)).toBe(160);
    expect(congested(100, 1.6, 0.5)).toBeCloseTo(130);
    expect(congested(100, 1.6, 0)).toBe(100);
  });
});

describe("the world under a limit written on the culprit's policy", () => {
  const plain = createWorld({ seed: 7, anchor });
  const limited = createWorld({ seed: 7, anchor });
  const { spikeStart, spikeEnd, policyId, culpritKeyHash } = limited.incident;
  const cut = spikeStart.getTime() + 10 * MIN;
  limited.writePolicy({ id: policyId, at: new Date(cut), body: { rate: 5, per: 60 } });
  const after = (w: World) => minutes(w, cut + 5 * MIN, spikeEnd.getTime());

  it("is unchanged before the write", () => {
    expect(minutes(limited, spikeStart.getTime(), cut)).toEqual(minutes(plain, spikeStart.getTime(), cut));
  });

  it("refuses the culprit's flood with 429 and everyone's GET /orders latency recovers", () => {
    const culprit = after(limited).filter((r) => r.keyHash === culpritKeyHash && getOrders(r));
    expect(culprit.filter((r) => r.status === 429).length / culprit.length).toBeGreaterThan(0.85);
    expect(culprit.filter((r) => r.status === 429).every((r) => r.upstreamMs === 0 && r.latencyMs === r.gatewayMs)).toBe(true);

    const others = (w: World, from: number, to: number) =>
      minutes(w, from, to).filter((r) => getOrders(r) && r.keyHash !== culpritKeyHash && r.status < 400).map((r) => r.upstreamMs);
    const before = median(others(plain, spikeStart.getTime() - 45 * MIN, spikeStart.getTime()));
    const flooded = median(others(plain, cut + 5 * MIN, spikeEnd.getTime()));
    const recovered = median(others(limited, cut + 5 * MIN, spikeEnd.getTime()));
    expect(flooded / before).toBeGreaterThan(1.4);
    expect(recovered / before).toBeLessThan(1.15);
    // The few exports let through run alone again: no longer 1–3.2 s.
    const exports = culprit.filter((r) => r.status !== 429).map((r) => r.upstreamMs);
    expect(exports.length).toBeGreaterThan(0);
    expect(Math.max(...exports)).toBeLessThan(1000);
  });

  it("answers each minute the same whatever order minutes are asked in (the two simulators agree)", () => {
    const again = createWorld({ seed: 7, anchor });
    again.writePolicy({ id: policyId, at: new Date(cut), body: { rate: 5, per: 60 } });
    const from = cut + 20 * MIN;
    expect(minutes(again, from, spikeEnd.getTime(), "backward").sort((a, b) => a.ts - b.ts)).toEqual(minutes(limited, from, spikeEnd.getTime()));
  });

  it("a later write (the rollback) answers the minutes after it again, and the flood is back", () => {
    const rolled = createWorld({ seed: 7, anchor });
    rolled.writePolicy({ id: policyId, at: new Date(cut), body: { rate: 5, per: 60 } });
    const mid = minutes(rolled, cut, cut + 10 * MIN);
    rolled.writePolicy({ id: policyId, at: new Date(cut + 10 * MIN), body: { rate: 2000, per: 1 } });
    expect(minutes(rolled, cut, cut + 10 * MIN)).toEqual(mid);
    const late = minutes(rolled, cut + 12 * MIN, spikeEnd.getTime()).filter((r) => r.keyHash === culpritKeyHash);
    expect(late.some((r) => r.status === 429)).toBe(false);
    expect(rolled.policyWrites().map((w) => w.at.getTime())).toEqual([cut, cut + 10 * MIN]);
  });
});

describe("a flood started later (the batch export runs again)", () => {
  const world = createWorld({ seed: 7, anchor });
  const T = anchor.getTime();
  const before = minutes(world, T, T + 12 * MIN);
  world.startFlood({ at: new Date(T + 30_000), minutes: 10 });
  const others = (rs: SimRequest[]) => rs.filter((r) => getOrders(r) && r.keyHash !== world.incident.culpritKeyHash && r.status < 400).map((r) => r.upstreamMs);

  it("floods GET /orders from the next whole minute, and everyone's latency there saturates", () => {
    expect(minutes(world, T, T + MIN)).toEqual(before.filter((r) => r.ts < T + MIN));
    const flood = minutes(world, T + MIN, T + 11 * MIN);
    const heavy = flood.filter((r) => r.keyHash === world.incident.culpritKeyHash && getOrders(r));
    expect(heavy.length).toBeGreaterThan(300);
    expect(median(others(flood)) / median(others(before.filter((r) => r.ts >= T + MIN && r.ts < T + 11 * MIN)))).toBeCloseTo(1.6, 1);
    expect(minutes(world, T + 11 * MIN, T + 12 * MIN)).toEqual(before.filter((r) => r.ts >= T + 11 * MIN));
    expect(world.floods()).toEqual([{ at: new Date(T + 30_000), minutes: 10 }]);
  });
});

describe("the world under a quota written on the culprit's policy", () => {
  const { spikeStart, spikeEnd, policyId, culpritKeyHash } = createWorld({ seed: 7, anchor }).incident;
  const cut = spikeStart.getTime() + 10 * MIN;
  const quota = { rate: 2000, per: 1, quota_max: 100, quota_renewal_rate: 3600 };
  const world = () => {
    const w = createWorld({ seed: 7, anchor });
    w.writePolicy({ id: policyId, at: new Date(cut), body: quota });
    return w;
  };

  it("lets the culprit's key through until its hour's quota is used up, then answers 403 from the gateway", () => {
    const culprit = minutes(world(), cut, spikeEnd.getTime()).filter((r) => r.keyHash === culpritKeyHash);
    const served = culprit.filter((r) => r.status < 400);
    const refused = culprit.filter((r) => r.status === 403);
    // Every API of the policy counts against one quota: at most 100 requests served in the hour.
    expect(served.length).toBeLessThanOrEqual(100);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.upstreamMs === 0 && r.latencyMs === r.gatewayMs)).toBe(true);
    expect(Math.min(...refused.map((r) => r.ts))).toBeGreaterThan(Math.max(...served.slice(0, 100).map((r) => r.ts)) - 1);
  });

  it("answers each minute the same whatever order minutes are asked in", () => {
    const from = cut + 20 * MIN;
    expect(minutes(world(), from, spikeEnd.getTime(), "backward").sort((a, b) => a.ts - b.ts)).toEqual(minutes(world(), from, spikeEnd.getTime()));
  });
});
