/**
 * TraceSource over Lightstep's public API v0.2. Latency comes from streams (saved span queries),
 * one per (service, operation), created on demand, reused when one with the same query already
 * exists, and remembered in a StreamStore. All HTTP goes through LightstepHttp (rate limit, retry,
 * cache, typed errors).
 */
import { TraceNotFoundError, TraceUnsupportedError } from "../errors";
import type {
  AttributeSeries,
  CallOptions,
  ExemplarQuery,
  LatencyByAttributeQuery,
  LatencyPoint,
  LatencySeriesQuery,
  OperationLatency,
  Percentile,
  RouteCount,
  ServiceLatencyQuery,
  ServiceVersionsQuery,
  Trace,
  TraceExemplar,
  TraceSource,
  TimeRange,
  VersionSeries,
} from "../trace-source";
import type { LightstepConfig } from "./config";
import {
  parseStreamQuery,
  streamQuery,
  toAttributeSeries,
  toExemplars,
  toLatencyPoints,
  toOperationLatency,
  toRouteCounts,
  toTrace,
  toVersionSeries,
  uqlLatencyByAttribute,
  uqlRouteCounts,
  uqlVersionCounts,
  uqlOperationCounts,
  uqlOperationLatency,
} from "./convert";
import { LightstepHttp } from "./http-client";
import { sharedRateLimiter, type RateLimiter } from "./rate-limiter";
import { queryTimeseriesResponse, servicesResponse, storedTracesResponse, streamResponse, streamsResponse, timeseriesResponse } from "./schema";
import type { StreamStore } from "./stream-store";

export interface LightstepSourceOptions extends Omit<LightstepConfig, "service"> {
  streamStore: StreamStore;
  /** Requests per second per org, shared by every adapter in the process (default 2). */
  rateLimitPerSec?: number;
  limiter?: RateLimiter;
  timeoutMs?: number;
  maxRetries?: number;
  cacheTtlMs?: number;
  maxBackoffMs?: number;
}

const MIN_RESOLUTION_MS = 60_000;
const SERVICES_PAGE = 500;
const RECENT_MS = 10 * 60_000;

export class LightstepTraceSource implements TraceSource {
  readonly backend = "lightstep";
  private readonly http: LightstepHttp;
  private readonly resolving = new Map<string, Promise<string>>();

  constructor(private readonly opts: LightstepSourceOptions) {
    const limiter = opts.limiter ?? sharedRateLimiter(`${opts.baseUrl}|${opts.org}`, opts.rateLimitPerSec ?? 2);
    this.http = new LightstepHttp({ ...opts, limiter });
  }

  async listServices(opts: CallOptions = {}): Promise<string[]> {
    const names: string[] = [];
    for (let offset = 0; offset < 20 * SERVICES_PAGE; offset += SERVICES_PAGE) {
      const body = await this.http.get("/directory/services", { limit: SERVICES_PAGE, offset }, servicesResponse, opts.signal);
      names.push(...body.data.items.map((i) => i.attributes.name));
      if (body.data.items.length < SERVICES_PAGE) break;
    }
    return [...new Set(names)].sort();
  }

  /** v0.2 has no operations listing: these are the operations that streams already follow. */
  async listOperations(service: string, opts: CallOptions = {}): Promise<string[]> {
    const body = await this.http.get("/streams", {}, streamsResponse, opts.signal);
    const ops = body.data.map((s) => parseStreamQuery(s.attributes.query)).filter((q) => q?.service === service);
    return [...new Set(ops.map((q) => q!.operation))].sort();
  }

  async latencySeries(q: LatencySeriesQuery, opts: CallOptions = {}): Promise<LatencyPoint[]> {
    return toLatencyPoints(await this.timeseries(q, false, opts.signal));
  }

  async latencyWithExemplars(q: LatencySeriesQuery, opts: CallOptions = {}): Promise<{ points: LatencyPoint[]; exemplars: TraceExemplar[] }> {
    const body = await this.timeseries(q, true, opts.signal);
    return { points: toLatencyPoints(body), exemplars: toExemplars(body) };
  }

  async exemplars(q: ExemplarQuery, opts: CallOptions = {}): Promise<TraceExemplar[]> {
    const span = q.to.getTime() - q.from.getTime();
    const resolutionMs = Math.max(MIN_RESOLUTION_MS, Math.ceil(span / MIN_RESOLUTION_MS) * MIN_RESOLUTION_MS);
    const body = await this.timeseries({ ...q, resolutionMs, percentiles: [] }, true, opts.signal);
    return toExemplars(body)
      .filter((e) => e.durationMs >= (q.minDurationMs ?? 0))
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, q.limit ?? 20);
  }

  async getTrace(idOrSpanId: string, opts: CallOptions = {}): Promise<Trace> {
    const body = await this.http.get("/stored-traces", { "span-id": idOrSpanId }, storedTracesResponse, opts.signal);
    return toTrace(body, idOrSpanId);
  }

  async latencyByAttribute(q: LatencyByAttributeQuery, opts: CallOptions = {}): Promise<AttributeSeries[]> {
    const body = {
      data: {
        attributes: {
          query: uqlLatencyByAttribute(q.service, q.operation, q.attribute, q.percentile),
          "oldest-time": q.from.toISOString(),
          "youngest-time": q.to.toISOString(),
          "output-period": Math.max(60, Math.round((q.resolutionMs ?? MIN_RESOLUTION_MS) / 1000)),
        },
      },
    };
    try {
      return toAttributeSeries(await this.http.post("/telemetry/query_timeseries", body, queryTimeseriesResponse, opts.signal), q.attribute);
    } catch (err) {
      if (err instanceof TraceNotFoundError) throw new TraceUnsupportedError("latency by attribute needs Lightstep's unified query API, which this account does not offer");
      throw err;
    }
  }

  /** Four unified queries (p50, p95, p99, counts by error) for every operation of the service. */
  async latencyByOperation(q: ServiceLatencyQuery, opts: CallOptions = {}): Promise<OperationLatency[]> {
    const resolutionMs = Math.max(MIN_RESOLUTION_MS, Math.round(q.resolutionMs / MIN_RESOLUTION_MS) * MIN_RESOLUTION_MS);
    const ask = (query: string) =>
      this.unifiedQuery({ query, "oldest-time": q.from.toISOString(), "youngest-time": q.to.toISOString(), "output-period": resolutionMs / 1000 }, opts.signal);
    const counts = await ask(uqlOperationCounts(q.service));
    const latency = new Map<Percentile, Awaited<ReturnType<typeof ask>>>();
    for (const p of [50, 95, 99] as const) latency.set(p, await ask(uqlOperationLatency(q.service, p)));
    return toOperationLatency(latency, counts, q.from.getTime(), q.to.getTime(), resolutionMs);
  }

  /** One unified query: span counts of every service per service.version. */
  async serviceVersions(q: ServiceVersionsQuery, opts: CallOptions = {}): Promise<VersionSeries[]> {
    const resolutionMs = Math.max(MIN_RESOLUTION_MS, Math.round(q.resolutionMs / MIN_RESOLUTION_MS) * MIN_RESOLUTION_MS);
    return toVersionSeries(await this.unifiedQuery(
      { query: uqlVersionCounts(), "oldest-time": q.from.toISOString(), "youngest-time": q.to.toISOString(), "output-period": resolutionMs / 1000 }, opts.signal,
    ));
  }

  /** One unified query: the gateway's spans per API, method and http.route over the range (one period). */
  async routes(q: TimeRange & { service: string }, opts: CallOptions = {}): Promise<RouteCount[]> {
    const period = Math.max(60, Math.ceil((q.to.getTime() - q.from.getTime()) / 60_000) * 60);
    return toRouteCounts(await this.unifiedQuery(
      { query: uqlRouteCounts(q.service), "oldest-time": q.from.toISOString(), "youngest-time": q.to.toISOString(), "output-period": period }, opts.signal,
    ));
  }

  private async unifiedQuery(attributes: Record<string, unknown>, signal?: AbortSignal) {
    try {
      return await this.http.post("/telemetry/query_timeseries", { data: { attributes } }, queryTimeseriesResponse, signal);
    } catch (err) {
      if (err instanceof TraceNotFoundError) throw new TraceUnsupportedError("grouped latency needs Lightstep's unified query API, which this account does not offer");
      throw err;
    }
  }

  /** The stream id for (service, operation): stored, else an existing stream with our query, else a new one. */
  async streamFor(service: string, operation: string, signal?: AbortSignal, skipStore = false): Promise<string> {
    const key = JSON.stringify([service, operation, skipStore]);
    let p = this.resolving.get(key);
    if (!p) {
      p = this.resolveStream(service, operation, signal, skipStore).finally(() => this.resolving.delete(key));
      this.resolving.set(key, p);
    }
    return p;
  }

  private async resolveStream(service: string, operation: string, signal: AbortSignal | undefined, skipStore: boolean): Promise<string> {
    if (!skipStore) {
      const stored = await this.opts.streamStore.get(service, operation);
      if (stored) return stored;
    }
    const query = streamQuery(service, operation);
    const list = await this.http.get("/streams", {}, streamsResponse, signal, !skipStore);
    let id = list.data.find((s) => s.attributes.query === query)?.id;
    if (!id) {
      const created = await this.http.post(
        "/streams",
        { data: { type: "stream", attributes: { name: `touchline: ${operation} (${service})`, query } } },
        streamResponse,
        signal,
      );
      id = created.data.id;
      this.http.invalidate("/streams");
    }
    await this.opts.streamStore.put(service, operation, id);
    return id;
  }

  private async timeseries(q: LatencySeriesQuery, exemplars: boolean, signal?: AbortSignal) {
    const percentiles: Percentile[] = q.percentiles ?? [50, 95, 99];
    const query = {
      "oldest-time": q.from.toISOString(),
      "youngest-time": q.to.toISOString(),
      "resolution-ms": Math.max(MIN_RESOLUTION_MS, q.resolutionMs),
      percentile: percentiles,
      "include-ops-counts": 1,
      "include-error-counts": 1,
      "include-exemplars": exemplars ? 1 : 0,
    };
    // Recent minutes are still being ingested: a cached answer would freeze them.
    const cacheable = q.to.getTime() < Date.now() - RECENT_MS;
    const fetchFor = async (id: string) =>
      this.http.get(`/streams/${encodeURIComponent(id)}/timeseries`, query, timeseriesResponse, signal, cacheable);
    const id = await this.streamFor(q.service, q.operation, signal);
    try {
      return await fetchFor(id);
    } catch (err) {
      // A stream deleted in Lightstep's UI leaves a dangling stored id: resolve afresh once.
      if (!(err instanceof TraceNotFoundError)) throw err;
      return fetchFor(await this.streamFor(q.service, q.operation, signal, true));
    }
  }
}

export function createLightstepSource(config: LightstepConfig, streamStore: StreamStore, extra: Partial<LightstepSourceOptions> = {}): LightstepTraceSource {
  return new LightstepTraceSource({ ...config, streamStore, ...extra });
}
