import { describe, expect, it } from "vitest";
import type { EndpointDayRow } from "./load";
import { sharesOf, summariseCoverage, ZERO } from "./summarise";

const D1 = Date.UTC(2026, 11, 6);
const D2 = Date.UTC(2026, 11, 7);
const row = (endpointId: string, day: number, c: Partial<EndpointDayRow>): EndpointDayRow => ({ ...ZERO, endpointId, day, ...c });
const endpoints = [
  { id: "e1", apiId: "a", method: "GET", path: "/a/x", operation: "GET /a/x" },
  { id: "e2", apiId: "a", method: "POST", path: "/a/y", operation: null },
  { id: "e3", apiId: "b", method: "GET", path: "/b", operation: "GET /b" },
];

describe("summariseCoverage", () => {
  const rows = [
    row("e1", D1, { requests: 100, traced: 100, backendSpans: 90, exemplars: 4, identified: 3, correlated: 4, noIdentity: 10 }),
    row("e1", D2, { requests: 50, traced: 50, backendSpans: 50, exemplars: 2, identified: 2, correlated: 2 }),
    row("e2", D2, { requests: 30, traced: 0, noIdentity: 30, keyless: 30 }),
    row("e3", D1, { requests: 20, traced: 5, backendSpans: 5 }),
    row("gone", D1, { requests: 999 }),
  ];
  const s = summariseCoverage(rows, endpoints, new Map([["a", "Alpha"], ["b", "Beta"]]));

  it("sums endpoints into APIs and days, leaving out rows of unknown endpoints", () => {
    expect(s.apis.map((a) => [a.name, a.requests, a.traced])).toEqual([["Alpha", 180, 150], ["Beta", 20, 5]]);
    expect(s.apis[0].endpoints.map((e) => e.path)).toEqual(["/a/x", "/a/y"]);
    expect(s.days.map((d) => [d.day, d.requests])).toEqual([[D1, 120], [D2, 80]]);
    expect(s.total.requests).toBe(200);
  });

  it("gives shares of the sums", () => {
    const e1 = s.apis[0].endpoints[0];
    expect(e1.shares).toEqual({ traceId: 1, held: 140 / 150, identified: 5 / 6, correlated: 1, noIdentity: 10 / 150 });
    expect(s.apis[0].shares.traceId).toBeCloseTo(150 / 180);
    expect(s.apis[0].shares.noIdentity).toBeCloseTo(40 / 180);
  });

  it("leaves what cannot be known null rather than zero", () => {
    const e2 = s.apis[0].endpoints[1];
    expect(e2.shares.held).toBeNull(); // no trace operation, no traced requests
    expect(e2.shares.identified).toBeNull(); // no sampled traces
    const noBackend = summariseCoverage([row("e1", D1, { requests: 10, traced: 10 })], endpoints, new Map());
    expect(noBackend.traceBackend).toBe(false);
    expect(noBackend.apis[0].shares.held).toBeNull();
  });

  it("caps the held share at 1 (the backend may count retries the gateway logged once)", () => {
    expect(sharesOf({ ...ZERO, requests: 10, traced: 10, backendSpans: 12 }, true).held).toBe(1);
  });
});
