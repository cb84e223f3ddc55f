import { describe, expect, it } from "vitest";
import { moveVerdict, type KeyTraffic } from "./verdict";

const t = (requests: number, recent: number): KeyTraffic => ({ requests, recent, refused: 0, firstAt: null, lastAt: null });

describe("moveVerdict", () => {
  it("says whether callers moved from the old key to the new one", () => {
    expect(moveVerdict(t(0, 0), t(0, 0)).verdict).toBe("quiet");
    expect(moveVerdict(t(50, 0), t(20, 5)).verdict).toBe("moved");
    expect(moveVerdict(t(0, 0), t(3, 0)).verdict).toBe("moved");
    expect(moveVerdict(t(50, 10), t(20, 5)).verdict).toBe("moving");
    expect(moveVerdict(t(50, 10), t(0, 0)).verdict).toBe("not_moved");
    expect(moveVerdict(t(50, 10), t(4, 0)).verdict).toBe("not_moved");
    expect(moveVerdict(t(50, 0), t(0, 0)).verdict).toBe("quiet");
  });
});
