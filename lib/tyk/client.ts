import type { ZodType } from "zod";
import { parseRetryAfter, sleep as sleepWithSignal } from "@/lib/http/retry";
import {
  TykAuthError, TykError, TykNotFoundError, TykRateLimitError, TykResponseShapeError, TykTimeoutError, TykUpstreamError,
  formatIssuePath,
} from "./errors";

export { parseRetryAfter };

export interface TykClientOptions {
  /** Dashboard base URL, e.g. http://tyk-dashboard:3000 (the `/api/...` paths are appended). */
  baseUrl: string;
  /** A Dashboard user's API key. Sent raw in `Authorization` (no `Bearer`), as the Dashboard expects. */
  apiKey: string;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  /** Further attempts after the first on 429 / 5xx / network errors / timeouts. Default 3. */
  retries?: number;
  /** First backoff step; attempt n waits a random time in [0, base·2^n] (full jitter). Default 250 ms. */
  retryBaseMs?: number;
  /** Upper bound for any single wait, Retry-After included. Default 30 s. */
  maxWaitMs?: number;
  fetch?: typeof fetch;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export type TykQuery = Record<string, string | number | boolean | undefined | null>;

export interface TykRequest<T> {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: TykQuery;
  body?: unknown;
  schema: ZodType<T>;
  signal?: AbortSignal;
  /**
   * Overrides the client's retry count for this request. Writes that are not idempotent (a key
   * create, a secret regeneration) pass 0: a retry after a lost answer would make a second one.
   */
  retries?: number;
}

export interface TykClient {
  readonly baseUrl: string;
  request<T>(req: TykRequest<T>): Promise<T>;
}

/** Full-jitter exponential backoff; a server's Retry-After wins when it is longer. */
export function backoffMs(attempt: number, opts: { baseMs: number; maxMs: number; random: () => number; retryAfterMs?: number | null }): number {
  const jittered = opts.random() * opts.baseMs * 2 ** attempt;
  const wait = Math.max(jittered, opts.retryAfterMs ?? 0);
  return Math.min(wait, opts.maxMs);
}

/** Tyk errors look like `{"Status":"Error","Message":"Not authorised","Meta":null}`. */
function tykMessage(body: unknown): string | null {
  if (body && typeof body === "object" && "Message" in body && typeof (body as { Message: unknown }).Message === "string") {
    return (body as { Message: string }).Message;
  }
  return null;
}

class RetryableFailure {
  constructor(readonly error: TykError, readonly retryAfterMs: number | null = null) {}
}

export function createTykClient(opts: TykClientOptions): TykClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const retries = opts.retries ?? 3;
  const baseMs = opts.retryBaseMs ?? 250;
  const maxMs = opts.maxWaitMs ?? 30_000;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? sleepWithSignal;
  const random = opts.random ?? Math.random;
  // Defence in depth: if a server ever echoes the key back in an error message, cut it out.
  const scrub = (s: string) => (opts.apiKey ? s.split(opts.apiKey).join("[redacted]") : s);

  async function attempt<T>(req: TykRequest<T>, method: string): Promise<T | RetryableFailure> {
    const url = new URL(baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const endpoint = `${method} ${req.path}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method,
        headers: { Authorization: opts.apiKey, Accept: "application/json", ...(req.body !== undefined ? { "Content-Type": "application/json" } : {}) },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        signal,
      });
      text = await res.text();
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason ?? err;
      if (timeout.aborted) return new RetryableFailure(new TykTimeoutError(`Tyk ${endpoint} timed out after ${timeoutMs} ms`, req.path, null));
      const reason = err instanceof Error ? err.message : String(err);
      return new RetryableFailure(new TykUpstreamError(`Tyk ${endpoint} failed: network error (${scrub(reason)})`, req.path, null, { cause: err }));
    }
    let body: unknown = undefined;
    let parsed = false;
    try {
      body = text.length ? JSON.parse(text) : null;
      parsed = true;
    } catch {
      /* handled below */
    }
    const detail = scrub(tykMessage(body) ?? "");
    const suffix = detail ? `: ${detail}` : "";
    const s = res.status;
    if (s === 401 || s === 403) throw new TykAuthError(`Tyk ${endpoint} → ${s} (not authorised${suffix})`, req.path, s);
    if (s === 404) throw new TykNotFoundError(`Tyk ${endpoint} → 404 (not found${suffix})`, req.path, s);
    if (s === 429) {
      const after = parseRetryAfter(res.headers.get("retry-after"));
      return new RetryableFailure(new TykRateLimitError(`Tyk ${endpoint} → 429 (rate limited${suffix})`, req.path, after), after);
    }
    if (s >= 500) return new RetryableFailure(new TykUpstreamError(`Tyk ${endpoint} → ${s}${suffix}`, req.path, s));
    if (s < 200 || s >= 300) throw new TykUpstreamError(`Tyk ${endpoint} → ${s}${suffix}`, req.path, s);
    if (!parsed) throw new TykResponseShapeError(`Tyk ${endpoint} → ${s}: body is not JSON`, req.path, s, "(root)");
    const result = req.schema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = formatIssuePath(issue?.path ?? []);
      throw new TykResponseShapeError(`Tyk ${endpoint} → ${s}: unexpected response shape at ${where} (${issue?.message ?? "invalid"})`, req.path, s, where);
    }
    return result.data;
  }

  return {
    baseUrl,
    async request<T>(req: TykRequest<T>): Promise<T> {
      const method = req.method ?? "GET";
      for (let n = 0; ; n++) {
        req.signal?.throwIfAborted();
        const out = await attempt(req, method);
        if (!(out instanceof RetryableFailure)) return out;
        if (n >= (req.retries ?? retries)) throw out.error;
        await sleep(backoffMs(n, { baseMs, maxMs, random, retryAfterMs: out.retryAfterMs }), req.signal);
      }
    },
  };
}
