import { describe, expect, it } from "vitest";
import { exemplarTurnDue, operationsRefreshDue } from "./run-cadence";

const T = Date.parse("2026-03-01T12:00:00Z");
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

describe("operationsRefreshDue", () => {
  const prev = { at: at(T), endpoints: "abc" };
  it("refreshes the first time, for a changed estate, an unmapped endpoint, or when forced", () => {
    expect(operationsRefreshDue(null, T, "abc", { unmapped: false })).toBe(true);
    expect(operationsRefreshDue(prev, T + MIN, "abd", { unmapped: false })).toBe(true);
    expect(operationsRefreshDue(prev, T + MIN, "abc", { unmapped: true })).toBe(true);
    expect(operationsRefreshDue(prev, T + MIN, "abc", { unmapped: false, force: true })).toBe(true);
  });
  it("skips within the interval and refreshes after it (or when the clock went backwards)", () => {
    expect(operationsRefreshDue(prev, T + 59 * MIN, "abc", { unmapped: false })).toBe(false);
    expect(operationsRefreshDue(prev, T + 60 * MIN, "abc", { unmapped: false })).toBe(true);
    expect(operationsRefreshDue(prev, T + 5 * MIN, "abc", { unmapped: false, intervalMs: 5 * MIN })).toBe(true);
    expect(operationsRefreshDue(prev, T - MIN, "abc", { unmapped: false })).toBe(true);
  });
});

describe("exemplarTurnDue", () => {
  it("is due the first time and once the interval has passed", () => {
    expect(exemplarTurnDue(null, T)).toBe(true);
    expect(exemplarTurnDue({ at: at(T) }, T + 14 * MIN)).toBe(false);
    expect(exemplarTurnDue({ at: at(T) }, T + 15 * MIN)).toBe(true);
    expect(exemplarTurnDue({ at: at(T) }, T + MIN, 0)).toBe(true);
    expect(exemplarTurnDue({ at: at(T) }, T - MIN)).toBe(true);
  });
});
