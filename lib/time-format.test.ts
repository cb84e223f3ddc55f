import { describe, expect, it } from "vitest";
import { formatClock, formatTime, fromInputValue, parseLinkTime, toInputValue } from "./time-format";

const T = Date.UTC(2026, 11, 7, 9, 21, 30);

describe("one time format", () => {
  it("writes a time to the minute with its zone, UTC by default", () => {
    expect(formatTime(T)).toBe("2026-12-07 09:21 UTC");
    expect(formatTime(new Date(T).toISOString())).toBe("2026-12-07 09:21 UTC");
    expect(formatTime(T, "Europe/Berlin")).toBe("2026-12-07 10:21 GMT+1");
    expect(formatTime(Date.UTC(2026, 6, 1, 0, 5), "America/New_York")).toBe("2026-06-30 20:05 EDT");
    expect(formatTime(null)).toBe("—");
    expect(formatTime("nope")).toBe("—");
    expect(formatClock(T, "Asia/Kolkata")).toBe("14:51");
  });

  it("round-trips datetime-local values in the chosen zone, across a DST change", () => {
    expect(toInputValue(T)).toBe("2026-12-07T09:21");
    expect(toInputValue(T, "Europe/Berlin")).toBe("2026-12-07T10:21");
    expect(fromInputValue("2026-12-07T10:21", "Europe/Berlin")).toBe(Date.UTC(2026, 11, 7, 9, 21));
    expect(fromInputValue("2026-03-29T03:30", "Europe/Berlin")).toBe(Date.UTC(2026, 2, 29, 1, 30)); // first hour of CEST
    expect(fromInputValue("2026-12-07T09:21")).toBe(Date.UTC(2026, 11, 7, 9, 21));
    expect(fromInputValue("yesterday")).toBeNull();
  });

  it("reads a link's time without a zone as UTC and says it had none", () => {
    expect(parseLinkTime("2026-12-07T09:21")).toEqual({ ms: Date.UTC(2026, 11, 7, 9, 21), zoneless: true });
    expect(parseLinkTime("2026-12-07T09:21:00.000Z")).toEqual({ ms: Date.UTC(2026, 11, 7, 9, 21), zoneless: false });
    expect(parseLinkTime("2026-12-07T10:21:00+01:00")).toEqual({ ms: Date.UTC(2026, 11, 7, 9, 21), zoneless: false });
    expect(parseLinkTime("Dec 7 2026")).toBeNull();
    expect(parseLinkTime("")).toBeNull();
  });
});
