import { describe, expect, it } from "vitest";
import { formatDuration, formatMs, formatPercent, formatRelative, formatUtc, maskKey } from "./format";

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
  it("formats durations as seconds, minutes, then hours", () => {
    expect(formatDuration(42_400)).toBe("42 s");
    expect(formatDuration(600_000)).toBe("10 min");
    expect(formatDuration(7_500_000)).toBe("2 h 5 min");
    expect(formatDuration(7_200_000)).toBe("2 h");
  });
  it("formats shares without a negative zero", () => {
    expect(formatPercent(-0.001)).toBe("0%");
    expect(formatPercent(-0.0004, 1)).toBe("0.0%");
    expect(formatPercent(-0.012)).toBe("-1%");
    expect(formatPercent(0.956)).toBe("96%");
  });

  it("masks keys", () => {
    expect(maskKey("a1b2")).toBe("••••a1b2");
    expect(maskKey(null)).toBe("••••");
  });
});
