import { describe, expect, it } from "vitest";
import { formatMs, formatRelative, formatUtc, maskKey } from "./format";

describe("format", () => {
  it("formats latency", () => {
    expect(formatMs(182.4)).toBe("182 ms");
    expect(formatMs(1234)).toBe("1.23 s");
    expect(formatMs(null)).toBe("—");
  });
  it("formats times", () => {
    expect(formatUtc(new Date(Date.UTC(2026, 10, 26, 4, 5)))).toBe("2026-11-26 04:05 UTC");
    expect(formatRelative(Date.now() - 2 * 3_600_000)).toBe("2 h ago");
    expect(formatRelative(null)).toBe("never");
  });
  it("masks keys", () => {
    expect(maskKey("a1b2")).toBe("••••a1b2");
    expect(maskKey(null)).toBe("••••");
  });
});
