import { describe, expect, it } from "vitest";
import { evidenceLines } from "./changes-view";

describe("evidenceLines", () => {
  it("a step: the capacity and the recommendation it acted on", () => {
    expect(evidenceLines({ capacity: "capacity ≈ 1.33 req/s at p99 ≤ 200 ms (90% CI 1.2–1.4)", recommendation: "Gold: 6000 per 60 s → 47 per 60 s", bounds: {} }))
      .toEqual(["capacity ≈ 1.33 req/s at p99 ≤ 200 ms (90% CI 1.2–1.4)", "recommended: Gold: 6000 per 60 s → 47 per 60 s"]);
  });

  it("a self-rollback: p99 before/after, the rejected normal callers, the verdict", () => {
    const lines = evidenceLines({
      objectiveMs: 200, p99BeforeMs: 180.4, p99AfterMs: null, normalRejectedBefore: 0, normalRejectedAfter: 12,
      normalCallers: [{ key: "k", label: "mobile-app", rejected: 12, peakPerMin: 19 }], dataThrough: 1, verdict: "callers within their normal peak were rejected",
    });
    expect(lines).toEqual([
      "p99 180 ms before → no data after (objective 200 ms)",
      "429s to callers within their normal peak: 0 before → 12 after (mobile-app 12)",
      "verdict: callers within their normal peak were rejected",
    ]);
  });

  it("a kept step carries its check; nothing for manual changes", () => {
    expect(evidenceLines({ capacity: "c", check: { p99BeforeMs: 1, p99AfterMs: 2, normalRejectedBefore: 0, normalRejectedAfter: 0, verdict: "kept" } })).toHaveLength(4);
    expect(evidenceLines(null)).toEqual([]);
  });
});
