import { describe, expect, it } from "vitest";
import { TraceNotFoundError, TraceShapeError } from "../errors";
import { parseStreamQuery, streamQuery, toAttributeSeries, toExemplars, toLatencyPoints, toOperationLatency, toTrace } from "./convert";
import { queryTimeseriesResponse, timeseriesResponse } from "./schema";

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

describe("toOperationLatency", () => {
  const T = Date.UTC(2026, 0, 1, 12);
  const q = (series: { "group-labels": string[]; points: [number, number | null][] }[]) => queryTimeseriesResponse.parse({ data: { attributes: { series } } });
  const s = (t: number) => t / 1000;
  it("joins percentile and count series per operation and minute; no spans means no latency", () => {
    const latency = new Map([
      [50, q([{ "group-labels": ["operation=GET /a"], points: [[s(T), 10], [s(T + 60_000), 12]] }])],
      [95, q([{ "group-labels": ["operation=GET /a"], points: [[s(T), 20], [s(T + 60_000), 22]] }])],
      [99, q([{ "group-labels": ["operation=GET /a"], points: [[s(T), 30], [s(T + 60_000), 99]] }, { "group-labels": ["operation=GET /b"], points: [[s(T), 7]] }])],
    ] as const);
    const counts = q([
      { "group-labels": ["operation=GET /a", "error=false"], points: [[s(T), 8], [s(T + 60_000), 0]] },
      { "group-labels": ["operation=GET /a", "error=true"], points: [[s(T), 2]] },
    ]);
    const out = toOperationLatency(new Map(latency), counts, T, T + 120_000, 60_000);
    const a = out.find((o) => o.operation === "GET /a")!.points;
    expect(a).toEqual([
      { ts: T, p50: 10, p95: 20, p99: 30, count: 10, errors: 2 },
      { ts: T + 60_000, p50: null, p95: null, p99: null, count: 0, errors: 0 },
    ]);
    expect(out.find((o) => o.operation === "GET /b")!.points.every((p) => p.count === 0 && p.p99 === null)).toBe(true);
  });
  it("rejects a series without an operation label", () => {
    expect(() => toOperationLatency(new Map(), q([{ "group-labels": ["error=true"], points: [] }]), T, T + 60_000, 60_000)).toThrow(TraceShapeError);
  });
});
