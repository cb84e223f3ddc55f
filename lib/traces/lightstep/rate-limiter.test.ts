import { describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "./rate-limiter";

describe("createRateLimiter", () => {
  it("spaces concurrent callers by the interval, in arrival order", async () => {
    vi.useFakeTimers();
    try {
      const limiter = createRateLimiter({ perSecond: 2, marginMs: 0, now: () => Date.now() });
      const granted: number[] = [];
      const start = Date.now();
      const all = Array.from({ length: 5 }, (_, i) => limiter.acquire().then((release) => (release(), granted.push(i) && Date.now() - start)));
      await vi.advanceTimersByTimeAsync(5000);
      const times = await Promise.all(all);
      expect(granted).toEqual([0, 1, 2, 3, 4]);
      expect(times).toEqual([0, 500, 1000, 1500, 2000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lets a caller through at once after an idle period", async () => {
    let t = 0;
    const limiter = createRateLimiter({ perSecond: 2, marginMs: 0, now: () => t });
    (await limiter.acquire())();
    t = 10_000;
    const before = Date.now();
    await limiter.acquire();
    expect(Date.now() - before).toBeLessThan(50);
  });

  it("holds a permit until the one two places before it has completed, plus a second", async () => {
    vi.useFakeTimers();
    try {
      const limiter = createRateLimiter({ perSecond: 2, marginMs: 0, now: () => Date.now() });
      const start = Date.now();
      const slow = await limiter.acquire(); // a request that takes 3 s to answer
      const second = limiter.acquire();
      await vi.advanceTimersByTimeAsync(500);
      (await second)();
      let third = -1;
      const p = limiter.acquire().then((r) => {
        third = Date.now() - start;
        r();
      });
      await vi.advanceTimersByTimeAsync(2500);
      expect(third).toBe(-1); // the first request has not answered yet
      slow();
      await vi.advanceTimersByTimeAsync(999);
      expect(third).toBe(-1);
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(third).toBe(4000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects a waiting caller when its signal aborts", async () => {
    const limiter = createRateLimiter({ perSecond: 0.01 });
    await limiter.acquire();
    const ac = new AbortController();
    const p = limiter.acquire(ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });
});
