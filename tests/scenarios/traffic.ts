// A scenario's gateway traffic, minute by minute: who calls which endpoint how often, which of
// those calls Tyk rejects (429 before the upstream sees them), and how slowly the upstream answers
// the rest. One request list feeds both Tyk Pump's table (pump.ts) and the trace backend (traces.ts).
import type { ApiRef, KeyRef } from "./estate";
import { logNormal, poisson, randomHex, seeded, type Rng } from "./random";

export const MINUTE = 60_000;

export interface EndpointSpec {
  api: ApiRef;
  method: string;
  /** Full template including the listen path; `{id}` segments get concrete values. */
  template: string;
  /** The upstream service behind it (trace backend's service name). */
  service: string;
}

export interface CallerSpec {
  name: string;
  /** The key the caller uses at minute m (offset from t0); null → no calls that minute. */
  key: KeyRef | ((m: number) => KeyRef | null);
  endpoint: EndpointSpec;
  /** Attempts per minute at minute m. */
  rate: (m: number) => number;
  /** Share of attempts Tyk answers 429 at minute m. */
  rejected?: (m: number) => number;
  /** The caller's own upstream latency: median ms and log-σ (before any endpoint-wide slowdown). */
  median: number | ((m: number) => number);
  sigma?: number;
  oauthClientId?: string;
  /** Pump `alias` (default: the key's alias). */
  alias?: string;
}

export interface TrafficSpec {
  callers: CallerSpec[];
  /** Endpoint-wide multiplier on upstream latency at minute m, given that minute's served requests to the endpoint's service. */
  slowdown?: (m: number, servedToService: number, service: string) => number;
  /** The upstream's service.version at minute m (trace backend), per service. */
  version?: (service: string, m: number) => string;
  /** Share of served requests answered 500. */
  errorRate?: number;
}

export interface GeneratedRequest {
  ts: number;
  caller: string;
  endpoint: EndpointSpec;
  path: string;
  key: KeyRef;
  alias: string;
  oauthClientId: string;
  status: number;
  latencyMs: number;
  upstreamMs: number;
  gatewayMs: number;
  traceId: string;
  spanId: string;
  serviceVersion: string | null;
}

/** Every request of [t0 + fromMin, t0 + toMin), in time order. */
export function generateTraffic(spec: TrafficSpec, t0: number, fromMin: number, toMin: number, seed: number): GeneratedRequest[] {
  const out: GeneratedRequest[] = [];
  for (let m = fromMin; m < toMin; m++) {
    const rng = seeded(seed * 100_003 + m + 7919);
    const minute = t0 + m * MINUTE;
    const planned = spec.callers.map((c) => {
      const key = typeof c.key === "function" ? c.key(m) : c.key;
      const attempts = key ? poisson(rng, c.rate(m)) : 0;
      const share = c.rejected?.(m) ?? 0;
      const rejected = Array.from({ length: attempts }, () => rng() < share);
      return { c, key, rejected };
    });
    const served = new Map<string, number>();
    for (const p of planned) served.set(p.c.endpoint.service, (served.get(p.c.endpoint.service) ?? 0) + p.rejected.filter((r) => !r).length);
    const minuteOut: GeneratedRequest[] = [];
    for (const { c, key, rejected } of planned) {
      if (!key) continue;
      const svc = c.endpoint.service;
      const slow = spec.slowdown?.(m, served.get(svc) ?? 0, svc) ?? 1;
      const median = typeof c.median === "function" ? c.median(m) : c.median;
      for (let i = 0; i < rejected.length; i++) {
        const ts = minute + Math.floor(rng() * MINUTE);
        const isRejected = rejected[i];
        const gatewayMs = 1 + Math.floor(rng() * 3);
        const upstreamMs = isRejected ? 0 : Math.max(1, Math.round(logNormal(rng, median * slow, c.sigma ?? 0.35)));
        const status = isRejected ? 429 : rng() < (spec.errorRate ?? 0.002) ? 500 : 200;
        const id = randomHex(rng, 32);
        minuteOut.push({
          ts, caller: c.name, endpoint: c.endpoint, path: concrete(c.endpoint.template, rng), key, alias: c.alias ?? key.alias,
          oauthClientId: c.oauthClientId ?? key.oauthClientId, status, latencyMs: upstreamMs + gatewayMs, upstreamMs, gatewayMs,
          traceId: id, spanId: id.slice(0, 16), serviceVersion: spec.version?.(svc, m) ?? null,
        });
      }
    }
    minuteOut.sort((a, b) => a.ts - b.ts);
    out.push(...minuteOut);
  }
  return out;
}

function concrete(template: string, rng: Rng): string {
  return template.replace(/\{[^}]+\}/g, () => String(10_000 + Math.floor(rng() * 890_000)));
}

/** A step function of minutes: `before` until minute `at` (offset from t0), `after` from it on. */
export const step = (at: number, before: number, after: number) => (m: number) => (m < at ? before : after);
