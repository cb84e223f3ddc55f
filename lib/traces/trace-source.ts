/**
 * Backend-neutral read interface over a trace store. Lightstep implements it now; Jaeger (API v3)
 * and Tempo (search + TraceQL metrics) fit the same shape. Every call honours `signal` and is
 * bounded in time by the adapter; failures are `TraceSourceError` subclasses (./errors).
 */
import type { LatencyPoint } from "@/lib/analysis/types";

export type Percentile = 50 | 95 | 99;

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface OperationQuery extends TimeRange {
  service: string;
  operation: string;
}

// The engine's per-minute point is what a trace source reports: one shape, lib/analysis/types.
export type { LatencyPoint };

export interface TraceExemplar {
  /** Null when the backend does not put the trace id on exemplars (read it from getTrace). */
  traceId: string | null;
  spanId: string;
  /** Opaque id the backend wants for getTrace when it is not the span id (Lightstep's trace_handle). */
  handle?: string;
  /** Span start, epoch ms. */
  ts: number;
  durationMs: number;
  isError: boolean;
}

export interface TraceSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  startUs: number;
  endUs: number;
  isError: boolean;
  attributes: Record<string, string | number | boolean>;
}

export interface Trace {
  traceId: string;
  spans: TraceSpan[];
}

export interface LatencySeriesQuery extends OperationQuery {
  resolutionMs: number;
  percentiles?: Percentile[];
}

export interface ExemplarQuery extends OperationQuery {
  limit?: number;
  minDurationMs?: number;
}

export interface LatencyByAttributeQuery extends OperationQuery {
  attribute: string;
  percentile: Percentile;
  resolutionMs?: number;
}

export interface AttributeSeries {
  value: string;
  series: { ts: number; valueMs: number | null }[];
}

/** Every operation of one service at once (the sync's common case: one query set, not one per endpoint). */
export interface ServiceLatencyQuery extends TimeRange {
  service: string;
  resolutionMs: number;
}

export interface OperationLatency {
  operation: string;
  points: LatencyPoint[];
}

/** How many spans of each service carried each service.version, per period (deploy detection). */
export interface ServiceVersionsQuery extends TimeRange {
  resolutionMs: number;
}

export interface VersionSeries {
  service: string;
  version: string;
  points: { ts: number; count: number }[];
}

/** Gateway spans counted by API, method and route (the `http.route` attribute): endpoint templates the gateway saw. */
export interface RouteCount {
  apiId: string;
  method: string;
  route: string;
  count: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface TraceSource {
  /** Short backend name stored beside ids it hands out ("lightstep", "jaeger", ...). */
  readonly backend: string;
  listServices(opts?: CallOptions): Promise<string[]>;
  listOperations(service: string, opts?: CallOptions): Promise<string[]>;
  latencySeries(q: LatencySeriesQuery, opts?: CallOptions): Promise<LatencyPoint[]>;
  exemplars(q: ExemplarQuery, opts?: CallOptions): Promise<TraceExemplar[]>;
  /**
   * Points and exemplars from one backend call where the backend can (Lightstep's stream timeseries
   * returns both), so a sync under a tight rate limit spends one request per window, not two.
   */
  latencyWithExemplars(
    q: LatencySeriesQuery,
    opts?: CallOptions,
  ): Promise<{ points: LatencyPoint[]; exemplars: TraceExemplar[] }>;
  /** Accepts a trace id or, for backends that index by span (Lightstep), a span id. */
  getTrace(idOrSpanId: string, opts?: CallOptions): Promise<Trace>;
  /** Optional capability: throws TraceUnsupportedError where the backend cannot group by attribute. */
  latencyByAttribute(q: LatencyByAttributeQuery, opts?: CallOptions): Promise<AttributeSeries[]>;
  /**
   * Optional capability: points (p50/p95/p99, count, errors) for every operation of a service in a
   * fixed number of calls, whatever the number of operations. Only operations with spans in the
   * range are returned. Throws TraceUnsupportedError where the backend cannot group by operation.
   */
  latencyByOperation(q: ServiceLatencyQuery, opts?: CallOptions): Promise<OperationLatency[]>;
  /**
   * Optional capability: span counts of every service per `service.version` (the OpenTelemetry
   * resource attribute), in one call, for deploys. Throws TraceUnsupportedError where the backend cannot group.
   */
  serviceVersions(q: ServiceVersionsQuery, opts?: CallOptions): Promise<VersionSeries[]>;
  /** Optional capability: the gateway's spans counted by tyk.api.id, http.method and http.route over a range. */
  routes(q: TimeRange & { service: string }, opts?: CallOptions): Promise<RouteCount[]>;
}

/** The root span (no parent, or whose parent is not in the trace), the gateway's span for our traces. */
export function rootSpan(trace: Trace): TraceSpan | undefined {
  const ids = new Set(trace.spans.map((s) => s.spanId));
  return trace.spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
}
