import { describe, expect, it } from "vitest";
import { toSeriesView } from "./api";

describe("toSeriesView", () => {
  it("reads the series route's answer (ISO marker times, no targets) into the chart's shape", () => {
    const view = toSeriesView({
      source: "latency_points",
      points: [{ ts: 1000, p50: 1, p95: 2, p99: 3, count: 4, errors: 0 }],
      markers: [{ at: "2026-11-26T02:36:00.000Z", id: "c1", kind: "policy", action: "update", label: "partner-gold", actor: "ada@acme.test", timeSource: "audit", diff: [{ path: "rate", before: 100, after: 2000 }] }],
    }, { from: 0, to: 60_000 });
    expect(view.source).toBe("latency_points");
    expect(view.points[0]).toEqual({ ts: 1000, p50: 1, p95: 2, p99: 3, count: 4, errors: 0 });
    expect(view.markers[0]).toMatchObject({ id: "c1", at: Date.parse("2026-11-26T02:36:00.000Z"), targetId: null, timeSource: "audit" });
    expect(view.markers[0]!.diff[0]).toEqual({ path: "rate", before: 100, after: 2000 });
  });

  it("reads the changes elsewhere (not reaching the endpoint) with their count", () => {
    const view = toSeriesView({
      points: [], markers: [],
      elsewhere: { count: 7, changes: [{ at: "2026-11-26T02:00:00.000Z", id: "c9", kind: "key", action: "revoke", label: "old-key", actor: "rui@acme.test", timeSource: "audit", diff: [] }] },
    }, { from: 0, to: 1 });
    expect(view.elsewhere?.count).toBe(7);
    expect(view.elsewhere?.changes[0]).toMatchObject({ id: "c9", action: "revoke", at: Date.parse("2026-11-26T02:00:00.000Z") });
    expect(toSeriesView({}, { from: 0, to: 1 }).elsewhere).toEqual({ count: 0, changes: [] });
  });

  it("tolerates missing fields without inventing data", () => {
    const view = toSeriesView({ series: [{ ts: "1970-01-01T00:00:01.000Z", p99: null }] }, { from: 0, to: 1 });
    expect(view.points[0]).toEqual({ ts: 1000, p50: null, p95: null, p99: null, count: 0, errors: 0 });
    expect(view.markers).toEqual([]);
    expect(toSeriesView(null, { from: 0, to: 1 }).points).toEqual([]);
  });
});
