import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultRequestBudget, orderStreamEndpoints, RequestBudget, type StreamCandidate } from "./request-budget";

const flat = (p99: number, n = 12) => Array.from({ length: n }, () => p99);

describe("orderStreamEndpoints", () => {
  it("serves spiking endpoints first, the largest spike first, then the longest-unsynced", () => {
    const order = orderStreamEndpoints([
      { id: "fresh", recentP99: flat(100), baselineP99: 100, syncedUntil: 5_000 },
      { id: "never", recentP99: [], baselineP99: null, syncedUntil: null },
      { id: "spike-x3", recentP99: flat(300), baselineP99: 100, syncedUntil: 9_000 },
      { id: "stale", recentP99: flat(100), baselineP99: 100, syncedUntil: 1_000 },
      { id: "spike-x8", recentP99: flat(800), baselineP99: 100, syncedUntil: 9_000 },
    ]);
    expect(order).toEqual([
      { id: "spike-x8", spiking: true }, { id: "spike-x3", spiking: true },
      { id: "never", spiking: false }, { id: "stale", spiking: false }, { id: "fresh", spiking: false },
    ]);
  });

  it("with a budget of k per run, every endpoint is served within ceil(n / k) runs of quiet traffic", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 20 }), (n, k) => {
      const synced = new Map<string, number | null>(Array.from({ length: n }, (_, i) => [`e${i}`, null]));
      const served = new Set<string>();
      const runs = Math.ceil(n / k);
      for (let run = 1; run <= runs; run++) {
        const cands: StreamCandidate[] = [...synced].map(([id, s]) => ({ id, recentP99: flat(50), baselineP99: 50, syncedUntil: s }));
        for (const e of orderStreamEndpoints(cands).slice(0, k)) {
          synced.set(e.id, run);
          served.add(e.id);
        }
      }
      expect(served.size).toBe(n);
    }));
  });
});

describe("RequestBudget", () => {
  it("takes requests while they fit", () => {
    const b = new RequestBudget(3);
    expect(b.take(2)).toBe(true);
    expect(b.take(2)).toBe(false);
    expect(b.remaining).toBe(1);
    expect(b.take()).toBe(true);
    expect(b.remaining).toBe(0);
  });

  it("defaults to three quarters of an interval at the backend's rate", () => {
    expect(defaultRequestBudget(60)).toBe(90);
    expect(defaultRequestBudget(10)).toBe(15);
  });
});
