import { describe, expect, it } from "vitest";
import { heldAfter, pickExemplars, spikeFloorMs, storableAttributes } from "./exemplars";
import { chunkWindows } from "./sync-traces";

const ex = (spanId: string, durationMs: number) => ({ traceId: null, spanId, ts: 0, durationMs, isError: false });

describe("pickExemplars", () => {
  it("keeps the slowest, skipping known and duplicate spans", () => {
    const picked = pickExemplars([ex("a", 10), ex("b", 300), ex("c", 200), ex("b", 300), ex("d", 250)], 2, new Set(["d"]));
    expect(picked.map((e) => e.spanId)).toEqual(["b", "c"]);
  });
});

describe("a running spike's held exemplars", () => {
  it("has a floor only once the full set is held", () => {
    expect(spikeFloorMs(undefined, 3)).toBeNull();
    expect(spikeFloorMs([900, 800], 3)).toBeNull();
    expect(spikeFloorMs([900, 800, 700], 3)).toBe(700);
    expect(spikeFloorMs([900], 0)).toBeNull();
  });

  it("keeps the slowest of the held and the added", () => {
    expect(heldAfter(undefined, [500, 900], 3)).toEqual([900, 500]);
    expect(heldAfter([900, 800, 700], [750, 1000], 3)).toEqual([1000, 900, 800]);
    expect(heldAfter([900, 800, 700], [], 3)).toEqual([900, 800, 700]);
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
