import { describe, expect, it } from "vitest";
import { callerPeaks, overLimitMinutes, type KeyMinutes } from "./key-minutes";

const MIN = 60_000;
const key = (keyHash: string, counts: number[]): KeyMinutes => ({
  keyHash, label: keyHash, policyIds: [], minutes: Float64Array.from(counts, (_, i) => i * MIN), counts: Float64Array.from(counts),
});

describe("callerPeaks", () => {
  it("is the p95 of the key's per-minute counts, interpolated like percentile_cont, busiest key first", () => {
    // 1..20: position 0.95 × 19 = 18.05 → 19 + 0.05 × (20 − 19).
    const counts = Array.from({ length: 20 }, (_, i) => 20 - i);
    const [a, b] = callerPeaks([key("b", [3]), key("a", counts)]);
    expect(a).toMatchObject({ keyHash: "a", requests: 210 });
    expect(a.p95PerMin).toBeCloseTo(19.05, 10);
    expect(b).toMatchObject({ keyHash: "b", requests: 3, p95PerMin: 3 });
  });

  it("leaves the abnormal minutes out of the peak but not out of the requests; only abnormal minutes → 0", () => {
    const [a] = callerPeaks([key("a", [5, 500, 5])], [1 * MIN]);
    expect(a).toMatchObject({ requests: 510, p95PerMin: 5 });
    const [b] = callerPeaks([key("b", [500])], [0]);
    expect(b).toMatchObject({ requests: 500, p95PerMin: 0 });
  });
});

describe("overLimitMinutes", () => {
  it("lists the minutes each limited key sent more than its limit, and nothing for other keys", () => {
    const over = overLimitMinutes([key("a", [10, 11, 30]), key("b", [99])], new Map([["a", 10], ["c", 1]]));
    expect(over).toEqual(new Map([["a", [1 * MIN, 2 * MIN]], ["c", []]]));
  });
});
