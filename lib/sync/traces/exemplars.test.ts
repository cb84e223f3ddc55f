import { describe, expect, it } from "vitest";
import { pickExemplars, storableAttributes } from "./exemplars";
import { chunkWindows } from "./sync-traces";

const ex = (spanId: string, durationMs: number) => ({ traceId: null, spanId, ts: 0, durationMs, isError: false });

describe("pickExemplars", () => {
  it("keeps the slowest, skipping known and duplicate spans", () => {
    const picked = pickExemplars([ex("a", 10), ex("b", 300), ex("c", 200), ex("b", 300), ex("d", 250)], 2, new Set(["d"]));
    expect(picked.map((e) => e.spanId)).toEqual(["b", "c"]);
  });
});

describe("storableAttributes", () => {
  it("keeps hashed keys and drops anything that could be a raw key", () => {
    const hash = "a".repeat(64);
    expect(storableAttributes({ "tyk.api.apikey": hash, x: 1 })).toEqual({ "tyk.api.apikey": hash, x: 1 });
    expect(storableAttributes({ "tyk.api.apikey": "5e9d9544a1dcd60001d0ed20" + "b".repeat(32), x: 1 })).toEqual({ x: 1 });
    expect(storableAttributes({ "tyk.api.apikey": "my-custom-key", x: 1 })).toEqual({ x: 1 });
  });
});

describe("chunkWindows", () => {
  it("covers the range in minute-aligned chunks no longer than the size", () => {
    const h = 3_600_000;
    expect(chunkWindows(0, 5 * h, 2 * h)).toEqual([
      { from: 0, to: 2 * h },
      { from: 2 * h, to: 4 * h },
      { from: 4 * h, to: 5 * h },
    ]);
    expect(chunkWindows(10, 10, h)).toEqual([]);
  });
});
