/** Lightstep response bodies -> the backend-neutral types of ../trace-source. Pure. */
import type { AttributeSeries, LatencyPoint, Trace, TraceExemplar, TraceSpan } from "../trace-source";
import type { StoredTracesResponse, TimeseriesResponse } from "./schema";
import type { z } from "zod";
import type { queryTimeseriesResponse } from "./schema";
import { TraceNotFoundError, TraceShapeError } from "../errors";

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The stream query for one operation of one service, in Lightstep's query syntax. */
export function streamQuery(service: string, operation: string): string {
  return `service IN (${quote(service)}) AND operation IN (${quote(operation)})`;
}

const QUERY_RE = /^service IN \("((?:[^"\\]|\\.)*)"\) AND operation IN \("((?:[^"\\]|\\.)*)"\)$/;
const unquote = (s: string) => s.replace(/\\(.)/g, "$1");

/** Inverse of streamQuery for the simple form we create; other queries give null. */
export function parseStreamQuery(query: string): { service: string; operation: string } | null {
  const m = QUERY_RE.exec(query.trim());
  return m ? { service: unquote(m[1]), operation: unquote(m[2]) } : null;
}

export function toLatencyPoints(body: TimeseriesResponse): LatencyPoint[] {
  const a = body.data.attributes;
  const windows = a["time-windows"];
  const byPct = new Map((a.latencies ?? []).map((l) => [l.percentile, l["latency-ms"]]));
  const ops = a["ops-counts"] ?? [];
  const errs = a["error-counts"] ?? [];
  for (const [pct, arr] of byPct) {
    if (arr.length !== windows.length) throw new TraceShapeError(`timeseries: ${arr.length} p${pct} values for ${windows.length} windows`);
  }
  return windows.map((w, i) => {
    const count = ops[i] ?? 0;
    const pick = (p: number) => (count > 0 ? (byPct.get(p)?.[i] ?? null) : null);
    return { ts: Date.parse(w["oldest-time"]), p50: pick(50), p95: pick(95), p99: pick(99), count, errors: errs[i] ?? 0 };
  });
}

export function toExemplars(body: TimeseriesResponse): TraceExemplar[] {
  return (body.data.attributes.exemplars ?? []).map((e) => ({
    traceId: e.trace_guid ?? null,
    spanId: e.span_guid,
    handle: e.trace_handle,
    ts: Math.floor(e.oldest_micros / 1000),
    durationMs: (e.duration_micros ?? e.youngest_micros - e.oldest_micros) / 1000,
    isError: e.has_error ?? false,
  }));
}

export function toTrace(body: StoredTracesResponse, id: string): Trace {
  const first = body.data[0];
  if (!first || first.attributes.spans.length === 0) throw new TraceNotFoundError(`stored trace for span ${id} not found`);
  const reporters = new Map((first.relationships?.reporters ?? []).map((r) => [r["reporter-id"], r.attributes ?? {}]));
  const spans: TraceSpan[] = first.attributes.spans.map((s) => {
    const { parent_span_guid: parent, ...attributes } = s.tags ?? {};
    const component = reporters.get(s["reporter-id"])?.["lightstep.component_name"];
    return {
      spanId: s["span-id"],
      parentSpanId: parent === undefined || parent === "" ? null : String(parent),
      service: component === undefined ? s["reporter-id"] : String(component),
      name: s["span-name"],
      startUs: s["start-time-micros"],
      endUs: s["end-time-micros"],
      isError: s["is-error"] ?? false,
      attributes,
    };
  });
  return { traceId: first.attributes.spans[0]["trace-id"], spans };
}

/** UQL grouped series. Group labels may come as "attr=value" or bare values; times as s or ms. */
export function toAttributeSeries(body: z.infer<typeof queryTimeseriesResponse>, attribute: string): AttributeSeries[] {
  return body.data.attributes.series.map((s) => {
    const label = s["group-labels"]?.[0] ?? "";
    const value = label.startsWith(`${attribute}=`) ? label.slice(attribute.length + 1) : label;
    return { value, series: s.points.map(([t, v]) => ({ ts: t < 1e11 ? t * 1000 : t, valueMs: v })) };
  });
}

export function uqlLatencyByAttribute(service: string, operation: string, attribute: string, percentile: number): string {
  return (
    `spans latency | delta | filter service == ${quote(service)} && operation == ${quote(operation)} ` +
    `| group_by [${quote(attribute)}], sum | point percentile(value, ${percentile})`
  );
}
