import { describe, expect, it } from "vitest";
import { TraceNotFoundError, TraceShapeError } from "../errors";
import { parseStreamQuery, streamQuery, toAttributeSeries, toExemplars, toLatencyPoints, toTrace } from "./convert";
import { timeseriesResponse } from "./schema";

const body = timeseriesResponse.parse({
  data: {
    attributes: {
      "time-windows": [
        { "oldest-time": "2026-01-01T00:00:00Z", "youngest-time": "2026-01-01T00:01:00Z" },
        { "oldest-time": "2026-01-01T00:01:00Z", "youngest-time": "2026-01-01T00:02:00Z" },
      ],
      latencies: [
        { percentile: 50, "latency-ms": [10, 0] },
        { percentile: 99, "latency-ms": [90, 0] },
      ],
      "ops-counts": [5, 0],
      "error-counts": [1, 0],
      exemplars: [{ span_guid: "s1", trace_handle: "h1", oldest_micros: 1_767_225_600_000_000, youngest_micros: 1_767_225_600_250_000, has_error: true }],
    },
  },
});

describe("convert", () => {
  it("round-trips stream queries, escaping quotes", () => {
    const q = streamQuery("gw", 'GET /a"b');
    expect(q).toBe('service IN ("gw") AND operation IN ("GET /a\\"b")');
    expect(parseStreamQuery(q)).toEqual({ service: "gw", operation: 'GET /a"b' });
    expect(parseStreamQuery('service IN ("gw")')).toBeNull();
  });

  it("builds points; empty windows have null percentiles", () => {
    expect(toLatencyPoints(body)).toEqual([
      { ts: Date.parse("2026-01-01T00:00:00Z"), p50: 10, p95: null, p99: 90, count: 5, errors: 1 },
      { ts: Date.parse("2026-01-01T00:01:00Z"), p50: null, p95: null, p99: null, count: 0, errors: 0 },
    ]);
  });

  it("rejects percentile arrays that do not line up with the windows", () => {
    const bad = structuredClone(body);
    bad.data.attributes.latencies![0]["latency-ms"] = [1];
    expect(() => toLatencyPoints(bad)).toThrow(TraceShapeError);
  });

  it("reads snake_case exemplars, deriving duration from the span's times", () => {
    expect(toExemplars(body)).toEqual([{ traceId: null, spanId: "s1", handle: "h1", ts: 1_767_225_600_000, durationMs: 250, isError: true }]);
  });

  it("builds a span tree with services from reporters", () => {
    const trace = toTrace(
      {
        data: [
          {
            attributes: {
              spans: [
                { "span-id": "a", "span-name": "GET /x", "trace-id": "t", "reporter-id": "r1", "start-time-micros": 0, "end-time-micros": 5, tags: { k: "v" } },
                { "span-id": "b", "span-name": "db", "trace-id": "t", "reporter-id": "r2", "start-time-micros": 1, "end-time-micros": 2, tags: { parent_span_guid: "a" } },
              ],
            },
            relationships: { reporters: [{ "reporter-id": "r1", attributes: { "lightstep.component_name": "gw" } }] },
          },
        ],
      },
      "a",
    );
    expect(trace.traceId).toBe("t");
    expect(trace.spans[0]).toMatchObject({ service: "gw", parentSpanId: null, attributes: { k: "v" } });
    expect(trace.spans[1]).toMatchObject({ service: "r2", parentSpanId: "a", attributes: {} });
    expect(() => toTrace({ data: [] }, "zz")).toThrow(TraceNotFoundError);
  });

  it("reads grouped series with either label style and either time unit", () => {
    const out = toAttributeSeries(
      { data: { attributes: { series: [{ "group-labels": ["alias=globex"], points: [[1_700_000_000, 5]] }, { "group-labels": ["m"], points: [[1_700_000_000_000, null]] }] } } },
      "alias",
    );
    expect(out).toEqual([
      { value: "globex", series: [{ ts: 1_700_000_000_000, valueMs: 5 }] },
      { value: "m", series: [{ ts: 1_700_000_000_000, valueMs: null }] },
    ]);
  });
});
