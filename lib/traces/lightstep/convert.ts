/** Lightstep response bodies -> the backend-neutral types of ../trace-source. Pure. */
import type { AttributeSeries, LatencyPoint, OperationLatency, Percentile, RouteCount, Trace, TraceExemplar, TraceSpan, VersionSeries } from "../trace-source";
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

/** Service-wide UQL grouped by operation: a latency percentile, or span counts split by the error flag. */
export function uqlOperationLatency(service: string, percentile: number): string {
  return `spans latency | delta | filter service == ${quote(service)} | group_by ["operation"], sum | point percentile(value, ${percentile})`;
}

export function uqlOperationCounts(service: string): string {
  return `spans count | delta | filter service == ${quote(service)} | group_by ["operation", "error"], sum`;
}

/** Span counts of every service per service.version (an OpenTelemetry resource attribute Lightstep indexes like any tag). */
export function uqlVersionCounts(): string {
  return `spans count | delta | group_by ["service", "service.version"], sum`;
}

/** The gateway's spans counted per API, method and route. */
export function uqlRouteCounts(service: string): string {
  return `spans count | delta | filter service == ${quote(service)} | group_by ["tyk.api.id", "http.method", "http.route"], sum`;
}

type QueryTimeseries = z.infer<typeof queryTimeseriesResponse>;

function labels(s: QueryTimeseries["data"]["attributes"]["series"][number]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of s["group-labels"] ?? []) {
    const i = l.indexOf("=");
    if (i > 0) out.set(l.slice(0, i), l.slice(i + 1));
  }
  return out;
}

/**
 * Joins the per-percentile latency answers and the count answer into one point per window and
 * operation. Windows are [from, to) every `resolutionMs`; a window the backend left out had no spans.
 */
export function toOperationLatency(
  latency: Map<Percentile, QueryTimeseries>,
  counts: QueryTimeseries,
  fromMs: number,
  toMs: number,
  resolutionMs: number,
): OperationLatency[] {
  const windows: number[] = [];
  for (let t = fromMs; t < toMs; t += resolutionMs) windows.push(t);
  const index = new Map(windows.map((t, i) => [t, i]));
  const ops = new Map<string, LatencyPoint[]>();
  const pointsOf = (op: string) => {
    let pts = ops.get(op);
    if (!pts) ops.set(op, (pts = windows.map((ts) => ({ ts, p50: null, p95: null, p99: null, count: 0, errors: 0 }))));
    return pts;
  };
  const each = (body: QueryTimeseries, fn: (op: string, l: Map<string, string>, p: LatencyPoint, v: number | null) => void) => {
    for (const s of body.data.attributes.series) {
      const l = labels(s);
      const op = l.get("operation");
      if (op === undefined) throw new TraceShapeError("query_timeseries: a series without an operation label");
      const pts = pointsOf(op);
      for (const [t, v] of s.points) {
        const i = index.get(t < 1e11 ? t * 1000 : t);
        if (i !== undefined) fn(op, l, pts[i], v);
      }
    }
  };
  each(counts, (_op, l, p, v) => {
    const n = Math.round(v ?? 0);
    p.count += n;
    if (l.get("error") === "true") p.errors += n;
  });
  for (const [pct, body] of latency) {
    const field = pct === 50 ? "p50" : pct === 95 ? "p95" : "p99";
    each(body, (_op, _l, p, v) => {
      p[field] = v;
    });
  }
  // Same rule as stream timeseries: no spans in a window means no latency, whatever was reported.
  for (const pts of ops.values()) for (const p of pts) if (p.count === 0) p.p50 = p.p95 = p.p99 = null;
  return [...ops].map(([operation, points]) => ({ operation, points }));
}

/** Version series from a uqlVersionCounts answer (series without a version label are spans that carry none). */
export function toVersionSeries(body: QueryTimeseries): VersionSeries[] {
  return body.data.attributes.series.flatMap((s) => {
    const l = labels(s), service = l.get("service"), version = l.get("service.version");
    if (!service || !version) return [];
    return [{ service, version, points: s.points.map(([t, v]) => ({ ts: t < 1e11 ? t * 1000 : t, count: Math.round(v ?? 0) })) }];
  });
}

/** Route counts from a uqlRouteCounts answer, summed over the range. */
export function toRouteCounts(body: QueryTimeseries): RouteCount[] {
  return body.data.attributes.series.flatMap((s) => {
    const l = labels(s);
    const apiId = l.get("tyk.api.id"), method = l.get("http.method"), route = l.get("http.route");
    if (!apiId || !method || !route) return [];
    return [{ apiId, method: method.toUpperCase(), route, count: s.points.reduce((n, [, v]) => n + Math.round(v ?? 0), 0) }];
  });
}
