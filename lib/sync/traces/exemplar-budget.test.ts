import { describe, expect, it } from "vitest";
import { chooseExemplarEndpoints, spikeRatio, SPIKE_MIN_REQUESTS, votingP99 } from "./exemplar-budget";

const flat = (n: number, v: number) => Array.from({ length: n }, () => v);

describe("spikeRatio", () => {
  it("needs a sustained rise: one slow minute is noise, ten are a spike", () => {
    expect(spikeRatio([...flat(100, 100), 5000, ...flat(100, 100)], 100)).toBe(1);
    expect(spikeRatio([...flat(100, 100), ...flat(10, 500), ...flat(100, 100)], 100)).toBe(5);
  });
  it("judges a short incremental window as a whole, and without a baseline not at all", () => {
    expect(spikeRatio([300, null, 320, 340], 100)).toBe(3.2);
    expect(spikeRatio([300], null)).toBe(0);
    expect(spikeRatio([null], 100)).toBe(0);
  });
});

describe("chooseExemplarEndpoints", () => {
  const base = { baselineP99: 100 };
  it("puts spiking endpoints first (largest spike first), then the longest-unvisited, within the budget", () => {
    const picks = chooseExemplarEndpoints(
      [
        { id: "visited", ...base, recentP99: flat(5, 100), exemplarsUntil: 2_000 },
        { id: "old", ...base, recentP99: flat(5, 100), exemplarsUntil: 1_000 },
        { id: "never", ...base, recentP99: flat(5, 100), exemplarsUntil: null },
        { id: "small-spike", ...base, recentP99: flat(5, 250), exemplarsUntil: 3_000 },
        { id: "big-spike", ...base, recentP99: flat(5, 900), exemplarsUntil: 3_000 },
      ],
      4,
    );
    expect(picks).toEqual([
      { id: "big-spike", spiking: true },
      { id: "small-spike", spiking: true },
      { id: "never", spiking: false },
      { id: "old", spiking: false },
    ]);
  });
  it("never exceeds the budget, even when everything spikes", () => {
    const all = Array.from({ length: 50 }, (_, i) => ({ id: `e${i}`, ...base, recentP99: flat(3, 1000), exemplarsUntil: null }));
    expect(chooseExemplarEndpoints(all, 2)).toHaveLength(2);
    expect(chooseExemplarEndpoints(all, 0)).toEqual([]);
  });
});

describe("votingP99", () => {
  it("lets only minutes with enough requests vote: a sparse endpoint's one slow request is not a spike", () => {
    const sparse = Array.from({ length: 12 }, () => ({ p99: 900, count: SPIKE_MIN_REQUESTS - 1 }));
    expect(spikeRatio(votingP99(sparse), 100)).toBe(0);
    const busy = Array.from({ length: 12 }, () => ({ p99: 900, count: SPIKE_MIN_REQUESTS }));
    expect(spikeRatio(votingP99(busy), 100)).toBe(9);
    expect(votingP99([{ p99: 50, count: 2 }, { p99: null, count: 0 }, { p99: 70, count: 40 }])).toEqual([null, null, 70]);
  });
});
