import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chartRows, contextRange, DAY, rowStep, fromUtcInput, HOUR, indicesOf, MINUTE, toUtcInput, windowOf, windowSearch } from "./endpoint-page-window";

const T0 = Date.parse("2026-11-26T00:00:00Z");

describe("rows of several minutes for long ranges", () => {
  it("keeps one row a minute up to a day, then a round step that keeps the chart near 2,000 rows", () => {
    expect(rowStep({ from: T0, to: T0 + DAY })).toBe(MINUTE);
    expect(rowStep({ from: T0, to: T0 + 7 * DAY })).toBe(10 * MINUTE);
  });

  it("shows a bucket's worst percentiles and its mean requests per minute", () => {
    const pts = [0, 1, 2, 3, 4].map((i) => ({ ts: T0 + i * MINUTE, p50: 10, p95: 20, p99: i === 2 ? 900 : 30, count: 10 * (i + 1), errors: 0 }));
    const rows = chartRows(pts, { from: T0, to: T0 + 10 * MINUTE }, 5 * MINUTE);
    expect(rows).toEqual([{ ts: T0, p50: 10, p95: 20, p99: 900, count: 30 }, { ts: T0 + 5 * MINUTE, p50: null, p95: null, p99: null, count: null }]);
    expect(indicesOf({ from: T0 + 5 * MINUTE, to: T0 + 10 * MINUTE }, T0, 2, 5 * MINUTE)).toEqual({ startIndex: 1, endIndex: 1 });
    expect(windowOf(0, 1, T0, 5 * MINUTE)).toEqual({ from: T0, to: T0 + 10 * MINUTE });
  });
});

describe("contextRange", () => {
  it("shows the last 24 h of data when the window lies inside it", () => {
    const latest = T0 + 10 * HOUR + 30_000;
    const r = contextRange({ from: T0 + 6 * HOUR, to: T0 + 9 * HOUR }, latest);
    expect(r).toEqual({ from: T0 + 10 * HOUR + MINUTE - DAY, to: T0 + 10 * HOUR + MINUTE });
  });

  it("pads an old window by its own length (at least 2 h) on both sides", () => {
    const w = { from: T0 - 3 * DAY, to: T0 - 3 * DAY + HOUR };
    expect(contextRange(w, T0)).toEqual({ from: w.from - 2 * HOUR, to: w.to + 2 * HOUR });
    const long = { from: T0 - 5 * DAY, to: T0 - 2 * DAY };
    expect(contextRange(long, T0)).toEqual({ from: long.from - 2 * DAY, to: long.to + 2 * DAY }); // 7 days in all: the series API's limit
    const week = { from: T0 - 8 * DAY, to: T0 - DAY };
    expect(contextRange(week, T0)).toEqual(week);
  });

  it("always contains the window", () => {
    fc.assert(fc.property(fc.integer({ min: -10 * DAY, max: DAY }), fc.integer({ min: 1, max: 7 * DAY }), fc.option(fc.integer({ min: -DAY, max: DAY })),
      (start, len, latest) => {
        const w = { from: T0 + start, to: T0 + start + len };
        const r = contextRange(w, latest == null ? null : T0 + latest);
        expect(r.from).toBeLessThanOrEqual(w.from);
        expect(r.to).toBeGreaterThanOrEqual(w.to);
        expect(r.to - r.from).toBeLessThanOrEqual(Math.max(DAY, 7 * DAY + 2 * MINUTE));
      }));
  });
});

describe("chartRows", () => {
  it("puts one row per minute and keeps missing minutes as gaps", () => {
    const rows = chartRows([{ ts: T0 + MINUTE + 5_000, p50: 1, p95: 2, p99: 3, count: 4, errors: 0 }], { from: T0, to: T0 + 3 * MINUTE });
    expect(rows).toEqual([
      { ts: T0, p50: null, p95: null, p99: null, count: null },
      { ts: T0 + MINUTE, p50: 1, p95: 2, p99: 3, count: 4 },
      { ts: T0 + 2 * MINUTE, p50: null, p95: null, p99: null, count: null },
    ]);
  });
});

describe("brush indices", () => {
  it("round-trips a minute-aligned window inside the grid", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 400 }), (a, len) => {
      const w = { from: T0 + a * MINUTE, to: T0 + (a + len) * MINUTE };
      const { startIndex, endIndex } = indicesOf(w, T0, 1440);
      expect(windowOf(startIndex, endIndex, T0)).toEqual(w);
    }));
  });

  it("clamps a window that overflows the grid", () => {
    expect(indicesOf({ from: T0 - HOUR, to: T0 + 2 * DAY }, T0, 1440)).toEqual({ startIndex: 0, endIndex: 1439 });
    expect(indicesOf({ from: T0, to: T0 + HOUR }, T0, 0)).toEqual({ startIndex: 0, endIndex: 0 });
  });

  it("orders reversed indices", () => {
    expect(windowOf(5, 2, T0)).toEqual({ from: T0 + 2 * MINUTE, to: T0 + 6 * MINUTE });
  });
});

describe("URL and inputs", () => {
  it("writes from/to as ISO UTC and keeps other parameters", () => {
    const q = windowSearch({ from: T0, to: T0 + HOUR }, new URLSearchParams("lookback=60&from=x"));
    const p = new URLSearchParams(q.slice(1));
    expect(p.get("from")).toBe("2026-11-26T00:00:00.000Z");
    expect(p.get("to")).toBe("2026-11-26T01:00:00.000Z");
    expect(p.get("lookback")).toBe("60");
    expect(windowSearch(null, new URLSearchParams("from=a&to=b"))).toBe("");
  });

  it("reads datetime-local values as UTC and refuses junk", () => {
    expect(fromUtcInput(toUtcInput(T0 + 90 * MINUTE))).toBe(T0 + 90 * MINUTE);
    expect(fromUtcInput("2026-11-26")).toBeNull();
    expect(fromUtcInput("2026-13-45T99:00")).toBeNull();
  });
});
