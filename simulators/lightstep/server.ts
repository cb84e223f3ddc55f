/**
 * A stand-in for Lightstep's public API v0.2 (the parts Touchline reads), serving the seeded world
 * over real HTTP: directory/services, streams, stream timeseries, stored-traces and the unified
 * query endpoint. Enforces Bearer auth and a per-org sliding one-second rate limit like the real
 * service, and can inject faults for tests. Imports nothing from lib/.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { SimApi, SimRequest } from "../world/types";
import { MINUTE, MinuteAggregates, windowsFor, type SimWorldLike } from "./aggregates";
import { storedTraceBody, upstreamService } from "./traces";
import { followGateway, type GatewaySource, type WritableWorld } from "./gateway-follower";
import { parseFaultBody } from "./fault-control";
import { groupedCounts, groupedSeries, operationSeries, parseGroupedCount, parseGroupedLatency, parseOperationQuery } from "./uql";

export interface LightstepSimWorld extends SimWorldLike, Partial<WritableWorld> {
  /** Only the APIs' listen paths are read (each names its upstream service). */
  stateAt(t: Date): { apis: Pick<SimApi, "listenPath">[] };
}

export type FaultKind = "500" | "429" | "slow" | "truncated" | "rename-field";
export interface Fault {
  kind: FaultKind;
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** Only requests whose path contains this. */
  path?: string;
  /** For "slow": how long to stall before answering (default 5000 ms). */
  delayMs?: number;
}

export interface LightstepSimOptions {
  port?: number;
  world: LightstepSimWorld;
  apiKey: string;
  org: string;
  project: string;
  rateLimitPerSec?: number;
  gatewayService?: string;
  /** Wall clock, overridable so tests can pin "now". */
  now?: () => number;
  /** The Tyk simulator whose gateway limits the world's traffic (its policy writes are followed). */
  gateway?: GatewaySource;
  /**
   * Whether the account has the unified query API (`/telemetry/query_timeseries`); default true.
   * Without it the route answers 404 as for any unknown path, and a client must read one stream per operation.
   */
  unifiedQuery?: boolean;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  /** The query string, e.g. "?oldest-time=…". */
  search: string;
  status: number;
}

export interface LightstepSimulator {
  url: string;
  close(): Promise<void>;
  setFault(fault: Fault | null): void;
  requestCount(): number;
  /** Applies the gateway's policy writes now instead of at the next poll (tests). */
  followGateway(): Promise<void>;
  /** Most requests that arrived within any one-second window (all requests, rejected ones included). */
  maxObservedRate(): number;
  requests(): LoggedRequest[];
  resetStats(): void;
}

interface Stream {
  id: string;
  name: string;
  query: string;
  createdTime: string;
}

const RENAMES: Record<string, string> = { "time-windows": "time_windows", "span-id": "spanId", items: "results", query: "query-text", series: "results" };
const STREAM_QUERY = /^service IN \("((?:[^"\\]|\\.)*)"\) AND operation IN \("((?:[^"\\]|\\.)*)"\)$/;
const unq = (s: string) => s.replace(/\\(.)/g, "$1");

class HttpError extends Error {
  constructor(readonly status: number, readonly title: string, detail: string, readonly headers: Record<string, string> = {}) {
    super(detail);
  }
}

export async function startLightstepSimulator(opts: LightstepSimOptions): Promise<LightstepSimulator> {
  const now = opts.now ?? Date.now;
  const gateway = opts.gatewayService ?? "tyk-gateway";
  const limit = opts.rateLimitPerSec ?? 2;
  const agg = new MinuteAggregates(opts.world, now);
  const { writePolicy, policyWrites, startFlood, floods } = opts.world;
  const follower = opts.gateway && writePolicy && policyWrites && startFlood && floods
    ? followGateway(opts.gateway, { writePolicy, policyWrites, startFlood, floods }, (at) => agg.forgetFrom(at.getTime()))
    : null;
  const streams = new Map<string, Stream>();
  let streamSeq = 0;
  let fault: (Fault & { left: number }) | null = null;
  let log: LoggedRequest[] = [];
  const accepted = new Map<string, number[]>(); // org -> arrival times of requests let through
  let arrivals: number[] = [];
  let maxRate = 0;

  function prefix(): string {
    return `/public/v0.2/${encodeURIComponent(opts.org)}/projects/${encodeURIComponent(opts.project)}`;
  }

  function rateLimit(org: string, t: number): void {
    const recent = (accepted.get(org) ?? []).filter((a) => a > t - 1000);
    if (recent.length >= limit) {
      accepted.set(org, recent);
      const retryAfter = Math.max(1, Math.ceil((recent[0] + 1000 - t) / 1000));
      throw new HttpError(429, "Too Many Requests", `rate limit of ${limit} requests per second exceeded`, { "Retry-After": String(retryAfter) });
    }
    recent.push(t);
    accepted.set(org, recent);
  }

  function services(): string[] {
    const apis = opts.world.stateAt(new Date(now())).apis;
    return [gateway, ...new Set(apis.map((a) => upstreamService({ listenPath: a.listenPath })))];
  }

  function streamOp(s: Stream): { service: string; operation: string } {
    const m = STREAM_QUERY.exec(s.query);
    return m ? { service: unq(m[1]), operation: unq(m[2]) } : { service: "", operation: "" };
  }

  function parseTime(v: string | null, name: string): number {
    const t = v ? Date.parse(v) : NaN;
    if (Number.isNaN(t)) throw new HttpError(400, "Bad Request", `${name} must be an RFC 3339 time`);
    return t;
  }

  function timeseries(stream: Stream, q: URLSearchParams) {
    const from = parseTime(q.get("oldest-time"), "oldest-time");
    const to = parseTime(q.get("youngest-time"), "youngest-time");
    const res = Number(q.get("resolution-ms") ?? 60000);
    if (!(res >= 60000) || res % MINUTE !== 0) throw new HttpError(400, "Bad Request", "resolution-ms must be a multiple of 60000");
    if (to <= from) throw new HttpError(400, "Bad Request", "youngest-time must be after oldest-time");
    if ((to - from) / res > 10_080) throw new HttpError(400, "Bad Request", "too many time windows");
    const pcts = q.getAll("percentile").map(Number);
    const { service, operation } = streamOp(stream);
    const windows = service === gateway ? windowsFor(agg, operation, from, to, res, pcts) : windowsFor(agg, "\0none", from, to, res, pcts);
    const attrs: Record<string, unknown> = {
      "time-windows": windows.map((w) => ({ "oldest-time": new Date(w.oldest).toISOString(), "youngest-time": new Date(w.youngest).toISOString() })),
      latencies: pcts.map((p) => ({ percentile: p, "latency-ms": windows.map((w) => w.percentiles.get(p) ?? null) })),
    };
    if (q.get("include-ops-counts") === "1") attrs["ops-counts"] = windows.map((w) => w.count);
    if (q.get("include-error-counts") === "1") attrs["error-counts"] = windows.map((w) => w.errors);
    if (q.get("include-exemplars") === "1") {
      // Lightstep's own quirk, kept: exemplar keys are snake_case.
      attrs.exemplars = windows.flatMap((w) =>
        w.exemplars.map((r: SimRequest) => ({
          span_guid: r.spanId,
          trace_guid: r.traceId,
          trace_handle: r.spanId,
          oldest_micros: r.ts * 1000,
          youngest_micros: r.ts * 1000 + Math.round(r.latencyMs * 1000),
          duration_micros: Math.round(r.latencyMs * 1000),
          has_error: r.status >= 500,
        })),
      );
    }
    return { data: { type: "timeseries", id: stream.id, attributes: attrs } };
  }

  async function readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    } catch {
      throw new HttpError(400, "Bad Request", "request body is not JSON");
    }
  }

  async function route(method: string, path: string, q: URLSearchParams, req: http.IncomingMessage): Promise<unknown> {
    const rest = path.slice(prefix().length);
    if (method === "GET" && rest === "/directory/services") {
      const offset = Number(q.get("offset") ?? 0);
      const lim = Number(q.get("limit") ?? 1000);
      return { data: { items: services().slice(offset, offset + lim).map((name) => ({ type: "service", id: name, attributes: { name } })) } };
    }
    if (rest === "/streams" && method === "GET") {
      return { data: [...streams.values()].map((s) => ({ type: "stream", id: s.id, attributes: { name: s.name, query: s.query, "created-time": s.createdTime } })) };
    }
    if (rest === "/streams" && method === "POST") {
      const body = (await readBody(req)) as { data?: { attributes?: { name?: unknown; query?: unknown } } };
      const a = body.data?.attributes;
      if (typeof a?.name !== "string" || typeof a.query !== "string" || !STREAM_QUERY.test(a.query)) {
        throw new HttpError(400, "Bad Request", "data.attributes.name and a valid data.attributes.query are required");
      }
      const s: Stream = { id: `strm${(++streamSeq).toString().padStart(6, "0")}`, name: a.name, query: a.query, createdTime: new Date(now()).toISOString() };
      streams.set(s.id, s);
      return { data: { type: "stream", id: s.id, attributes: { name: s.name, query: s.query, "created-time": s.createdTime } } };
    }
    const ts = /^\/streams\/([^/]+)\/timeseries$/.exec(rest);
    if (ts && method === "GET") {
      const s = streams.get(decodeURIComponent(ts[1]));
      if (!s) throw new HttpError(404, "Not Found", "stream not found");
      return timeseries(s, q);
    }
    if (rest === "/stored-traces" && method === "GET") {
      const id = q.get("span-id");
      if (!id) throw new HttpError(400, "Bad Request", "span-id is required");
      const r = agg.findRequest(id);
      return r ? storedTraceBody(r, gateway) : { data: [] };
    }
    if (rest === "/telemetry/query_timeseries" && method === "POST" && opts.unifiedQuery !== false) {
      const body = (await readBody(req)) as { data?: { attributes?: Record<string, unknown> } };
      const a = body.data?.attributes ?? {};
      const byOp = typeof a.query === "string" ? parseOperationQuery(a.query) : null;
      const parsed = typeof a.query === "string" ? parseGroupedLatency(a.query) : null;
      const counted = typeof a.query === "string" && !byOp ? parseGroupedCount(a.query) : null;
      if (!parsed && !byOp && !counted) throw new HttpError(400, "Bad Request", "unsupported query");
      const from = parseTime(String(a["oldest-time"] ?? ""), "oldest-time");
      const to = parseTime(String(a["youngest-time"] ?? ""), "youngest-time");
      const period = Math.max(60, Number(a["output-period"] ?? 60)) * 1000;
      if (period % MINUTE !== 0) throw new HttpError(400, "Bad Request", "output-period must be whole minutes");
      if (to <= from) throw new HttpError(400, "Bad Request", "youngest-time must be after oldest-time");
      if (byOp) {
        const series = byOp.service === gateway ? operationSeries(agg, byOp, from, to, period) : [];
        return { data: { type: "query_timeseries", attributes: { series } } };
      }
      if (counted) return { data: { type: "query_timeseries", attributes: { series: groupedCounts(agg.requestsBetween(from, to), counted, gateway, from, to, period) } } };
      if (!parsed) throw new HttpError(400, "Bad Request", "unsupported query");
      const reqs = parsed.service === gateway ? agg.requestsOf(parsed.operation, from, to) : [];
      return { data: { type: "query_timeseries", attributes: { series: groupedSeries(reqs, parsed, from, to, period) } } };
    }
    throw new HttpError(404, "Not Found", `no route for ${method} ${rest}`);
  }

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, mode?: FaultKind) {
    let text = mode === "rename-field" ? JSON.stringify(body, function (this: unknown, _k, v) {
      if (v && typeof v === "object" && !Array.isArray(v)) {
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, val]) => [RENAMES[k] ?? k, val]));
      }
      return v;
    }) : JSON.stringify(body);
    if (mode === "truncated") text = text.slice(0, Math.floor(text.length / 2));
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function setFault(f: Fault | null): void {
    fault = f ? { ...f, left: f.times ?? 1 } : null;
  }

  const errorBody = (e: HttpError) => ({ errors: [{ status: String(e.status), title: e.title, detail: e.message }] });

  const server = http.createServer(async (req, res) => {
    const t = now();
    arrivals.push(t);
    arrivals = arrivals.filter((a) => a > t - 1000);
    maxRate = Math.max(maxRate, arrivals.length);
    const url = new URL(req.url ?? "/", "http://sim");
    const method = req.method ?? "GET";
    // Logged on arrival, so a slow answer finishing after resetStats() is not counted in the new period.
    const entry: LoggedRequest = { at: t, method, path: url.pathname, search: url.search, status: 0 };
    log.push(entry);
    try {
      if (url.pathname === "/_sim/fault") {
        if (req.headers.authorization !== `Bearer ${opts.apiKey}`) throw new HttpError(401, "Unauthorized", "the API key does not provide access to this resource");
        if (method !== "PUT") throw new HttpError(405, "Method Not Allowed", "use PUT");
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const parsed = parseFaultBody(Buffer.concat(chunks).toString("utf8"));
        if (typeof parsed === "string") throw new HttpError(400, "Bad Request", parsed);
        setFault(parsed.fault);
        entry.status = 200;
        return send(res, 200, { fault: parsed.fault });
      }
      const m = /^\/public\/v0\.2\/([^/]+)\/projects\/([^/]+)(\/.*)?$/.exec(url.pathname);
      if (!m) throw new HttpError(404, "Not Found", "unknown path");
      if (req.headers.authorization !== `Bearer ${opts.apiKey}`) throw new HttpError(401, "Unauthorized", "the API key does not provide access to this resource");
      const org = decodeURIComponent(m[1]);
      if (org !== opts.org) throw new HttpError(401, "Unauthorized", "the organization does not exist or the key has no access to it");
      rateLimit(org, t);
      if (decodeURIComponent(m[2]) !== opts.project) throw new HttpError(404, "Not Found", "project not found");
      const f = fault && fault.left > 0 && (!fault.path || url.pathname.includes(fault.path)) ? fault : null;
      if (f) f.left--;
      if (f?.kind === "500") throw new HttpError(500, "Internal Server Error", "injected failure");
      if (f?.kind === "429") throw new HttpError(429, "Too Many Requests", "injected rate limit", { "Retry-After": "1" });
      if (f?.kind === "slow") await new Promise((r) => setTimeout(r, f.delayMs ?? 5000));
      const body = await route(method, url.pathname, url.searchParams, req);
      entry.status = 200;
      send(res, 200, body, {}, f?.kind);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, "Internal Server Error", "unexpected simulator error");
      if (!(err instanceof HttpError)) console.error("lightstep simulator:", err);
      entry.status = e.status;
      if (!res.headersSent) send(res, e.status, errorBody(e), e.headers);
    }
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        follower?.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    setFault,
    followGateway: () => follower?.poll() ?? Promise.resolve(),
    requestCount: () => log.length,
    maxObservedRate: () => maxRate,
    requests: () => [...log],
    resetStats() {
      log = [];
      arrivals = [];
      maxRate = 0;
    },
  };
}
