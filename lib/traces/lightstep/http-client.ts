/**
 * The one place that talks HTTP to Lightstep: rate limit (shared per org), per-attempt timeout,
 * retry of 429/5xx/network failures honouring Retry-After, a small TTL cache for GETs, and mapping
 * of every failure to a typed TraceSourceError. The API key goes into the Authorization header
 * and nowhere else; upstream error text is scrubbed of it before it reaches a message.
 */
import type { z } from "zod";
import {
  TraceAuthError,
  TraceNotFoundError,
  TraceRateLimitError,
  TraceShapeError,
  TraceSourceError,
  TraceTimeoutError,
  TraceUpstreamError,
} from "../errors";
import { errorEnvelope } from "./schema";
import type { RateLimiter } from "./rate-limiter";
import { parseRetryAfter, sleep } from "@/lib/http/retry";

export interface LightstepHttpOptions {
  baseUrl: string;
  org: string;
  project: string;
  apiKey: string;
  limiter: RateLimiter;
  timeoutMs?: number;
  maxRetries?: number;
  cacheTtlMs?: number;
  /** Upper bound on one backoff sleep, however long the server asks us to wait. */
  maxBackoffMs?: number;
  fetchImpl?: typeof fetch;
}

export type Query = Record<string, string | number | (string | number)[] | undefined>;

interface CacheEntry {
  expires: number;
  value: unknown;
}

const CACHE_MAX = 500;


class Retryable extends Error {
  constructor(readonly error: TraceSourceError, readonly waitMs?: number) {
    super(error.message);
  }
}

export class LightstepHttp {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly fetchImpl: typeof fetch;
  readonly projectBase: string;

  constructor(private readonly opts: LightstepHttpOptions) {
    this.fetchImpl = opts.fetchImpl ?? fetch;
    const base = opts.baseUrl.replace(/\/+$/, "");
    this.projectBase = `${base}/public/v0.2/${encodeURIComponent(opts.org)}/projects/${encodeURIComponent(opts.project)}`;
  }

  async get<S extends z.ZodType>(path: string, query: Query, schema: S, signal?: AbortSignal, cache = true): Promise<z.infer<S>> {
    const url = this.url(path, query);
    const hit = cache ? this.cache.get(url) : undefined;
    if (hit && hit.expires > Date.now()) return hit.value as z.infer<S>;
    const value = await this.request("GET", url, undefined, schema, signal);
    if (cache) this.remember(url, value);
    return value;
  }

  async post<S extends z.ZodType>(path: string, body: unknown, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    return this.request("POST", this.url(path, {}), body, schema, signal);
  }

  /** Drops cached GETs under a path (e.g. the stream list after creating a stream). */
  invalidate(path: string): void {
    const prefix = this.projectBase + path;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  private url(path: string, query: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
    }
    const qs = params.toString();
    return `${this.projectBase}${path}${qs ? `?${qs}` : ""}`;
  }

  private remember(url: string, value: unknown): void {
    const ttl = this.opts.cacheTtlMs ?? 30_000;
    if (ttl <= 0) return;
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(url, { expires: Date.now() + ttl, value });
  }

  private redact(text: string): string {
    return this.opts.apiKey ? text.split(this.opts.apiKey).join("[redacted]") : text;
  }

  private describe(method: string, url: string): string {
    // The path names the resource; the query (times, ids) would only make messages noisy.
    return `${method} ${new URL(url).pathname.replace(this.projectBase.replace(/^https?:\/\/[^/]+/, ""), "")}`;
  }

  private async request<S extends z.ZodType>(method: string, url: string, body: unknown, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const maxRetries = this.opts.maxRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      const release = await this.opts.limiter.acquire(signal);
      try {
        return await this.attempt(method, url, body, schema, signal).finally(release);
      } catch (err) {
        if (!(err instanceof Retryable)) throw err;
        if (attempt >= maxRetries) throw err.error;
        const backoff = Math.min(250 * 2 ** attempt, 8_000) * (0.75 + Math.random() * 0.5);
        await sleep(Math.min(err.waitMs ?? backoff, this.opts.maxBackoffMs ?? 30_000), signal);
      }
    }
  }

  private async attempt<S extends z.ZodType>(method: string, url: string, body: unknown, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const what = this.describe(method, url);
    const timeoutMs = this.opts.timeoutMs ?? 15_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.opts.apiKey}`,
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: combined,
      });
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw new Retryable(new TraceTimeoutError(`${what}: no answer within ${timeoutMs} ms`));
      throw new Retryable(new TraceUpstreamError(`${what}: ${this.redact(err instanceof Error ? err.message : String(err))}`, { cause: err }));
    }
    if (res.ok) return this.parse(what, text, schema);
    const detail = this.errorDetail(text);
    const msg = `${what}: HTTP ${res.status}${detail ? ` ${detail}` : ""}`;
    if (res.status === 401 || res.status === 403) throw new TraceAuthError(msg, res.status);
    if (res.status === 404) throw new TraceNotFoundError(msg);
    if (res.status === 429) {
      const wait = parseRetryAfter(res.headers.get("retry-after")) ?? undefined;
      throw new Retryable(new TraceRateLimitError(msg, wait), wait);
    }
    if (res.status >= 500) throw new Retryable(new TraceUpstreamError(msg, { status: res.status }), parseRetryAfter(res.headers.get("retry-after")) ?? undefined);
    throw new TraceUpstreamError(msg, { status: res.status });
  }

  private parse<S extends z.ZodType>(what: string, text: string, schema: S): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new TraceShapeError(`${what}: response is not JSON (${text.length} bytes)`, [], err);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`);
      throw new TraceShapeError(`${what}: unexpected response shape (${issues.join("; ")})`, issues);
    }
    return parsed.data;
  }

  private errorDetail(text: string): string {
    try {
      const env = errorEnvelope.safeParse(JSON.parse(text));
      if (env.success && env.data.errors.length) {
        const e = env.data.errors[0];
        return this.redact([e.title, e.detail].filter(Boolean).join(": ")).slice(0, 300);
      }
    } catch {
      /* not JSON: fall through */
    }
    return "";
  }
}
