import { describe, expect, it } from "vitest";
import { markerRows, markerText, WEEK, withWeekAgo } from "./chart-model";

const MIN = 60_000;

describe("markerRows", () => {
  it("keeps distant markers on the lowest row and lifts close ones so labels do not overlap", () => {
    const markers = [{ id: "a", at: 0 }, { id: "b", at: 2 * MIN }, { id: "c", at: 4 * MIN }, { id: "d", at: 60 * MIN }, { id: "x", at: 500 * MIN }];
    // 100 minutes over 1,000 px: a 120 px label spans 12 minutes.
    const rows = markerRows(markers, { from: 0, to: 100 * MIN }, 1000);
    expect(Object.fromEntries(rows)).toEqual({ a: 0, b: 1, c: 2, d: 0 }); // x is off the chart
  });

  it("reuses the row whose last flag is farthest once every row is taken", () => {
    const markers = [0, 1, 2, 3].map((i) => ({ id: `m${i}`, at: i * MIN }));
    expect(markerRows(markers, { from: 0, to: 100 * MIN }, 400).get("m3")).toBe(0);
  });
});

describe("markerText", () => {
  it("reads as the thing changed and the action, not a letter", () => {
    expect(markerText({ kind: "policy", action: "update", label: "partner-gold" })).toBe("partner-gold");
    expect(markerText({ kind: "key", action: "revoke", label: "mobile-app" })).toBe("mobile-app · revoked");
    expect(markerText({ kind: "key", action: "revoke", label: "a-very-long-key-alias" })).toBe("a-very-lo… · revoked");
    expect(markerText({ kind: "key", action: "create", label: "app" })).toBe("app · new");
    expect(markerText({ kind: "deploy", action: "deploy", label: "orders v2.14.0" })).toBe("deploy orders v2.14…");
  });
});

describe("withWeekAgo", () => {
  it("puts last week's p99 of the same minute beside each row", () => {
    const rows = withWeekAgo([{ ts: WEEK }, { ts: WEEK + MIN }], [{ ts: 0, p99: 210 }]);
    expect(rows).toEqual([{ ts: WEEK, p99WeekAgo: 210 }, { ts: WEEK + MIN, p99WeekAgo: null }]);
  });
});
