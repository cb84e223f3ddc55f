// Seeded request generators for the attribution tests: callers with per-minute rates and latency
// models, over a baseline window B, a guard gap and an incident window I.
import type { LatencyPoint, RequestSample, TimeWindow } from "../types";
import { mulberry32, quantileSorted } from "../stats";
import { MINUTE, T0, gaussian } from "./synthetic-series";

export type Phase = "B" | "I";

export interface Caller {
  key: string;
  identity?: string;
  policies?: string[];
  oauth?: string;
  /** Requests per minute (real requests; sampled rows = rate × sampleRate). */
  rate: (phase: Phase, minute: number, rand: () => number) => number;
  /** Latency of one request; `load` = this minute's request counts by key. */
  latency: (phase: Phase, rand: () => number, load: Map<string, number>) => number;
  /** Keep this fraction of the caller's requests; kept rows get weight 1/sampleRate. */
  sampleRate?: number;
}

export interface Scenario {
  requests: RequestSample[];
  windows: { baseline: TimeWindow; incident: TimeWindow };
  start: number;
}

export const lognormal = (median: number, sigma: number) => (rand: () => number) => median * Math.exp(sigma * gaussian(rand));
export const normal80 = lognormal(80, 0.4);
export const uniform = (lo: number, hi: number) => (rand: () => number) => lo + (hi - lo) * rand();

export function makeScenario(callers: Caller[], o: { seed?: number; baselineMinutes?: number; guardMinutes?: number; incidentMinutes?: number } = {}): Scenario {
  const rand = mulberry32(o.seed ?? 42);
  const bMin = o.baselineMinutes ?? 60, guard = o.guardMinutes ?? 5, iMin = o.incidentMinutes ?? 30;
  const start = T0 + (bMin + guard) * MINUTE;
  const windows = { baseline: { from: T0, to: T0 + bMin * MINUTE }, incident: { from: start, to: start + iMin * MINUTE } };
  const requests: RequestSample[] = [];
  for (let m = 0; m < bMin + guard + iMin; m++) {
    const phase: Phase = m < bMin + guard ? "B" : "I";
    const load = new Map<string, number>();
    for (const c of callers) {
      const r = c.rate(phase, m, rand);
      load.set(c.key, Math.max(0, Math.round(r + Math.sqrt(r) * gaussian(rand))));
    }
    for (const c of callers) {
      const s = c.sampleRate ?? 1;
      const n = load.get(c.key)!;
      for (let j = 0; j < n; j++) {
        if (s < 1 && rand() >= s) continue;
        requests.push({
          ts: T0 + m * MINUTE + Math.floor(rand() * MINUTE),
          latencyMs: Math.max(1, Math.round(c.latency(phase, rand, load))),
          status: 200,
          keyHash: c.key,
          identityId: c.identity ?? null,
          policyIds: c.policies ?? [],
          oauthClientId: c.oauth ?? null,
          weight: 1 / s,
        });
      }
    }
  }
  return { requests, windows, start };
}

/** A steady caller: same rate and latency model in both windows. */
export function steady(key: string, rate: number, extra: Partial<Caller> = {}): Caller {
  return { key, identity: `id-${key}`, rate: () => rate, latency: (_p, r) => normal80(r), ...extra };
}

/** The per-minute latency series the trace backend would report for these requests. */
export function seriesFromRequests(requests: RequestSample[]): LatencyPoint[] {
  const byMin = new Map<number, number[]>();
  for (const r of requests) {
    const m = Math.floor(r.ts / MINUTE) * MINUTE;
    let a = byMin.get(m);
    if (!a) byMin.set(m, (a = []));
    a.push(r.latencyMs);
  }
  return [...byMin.entries()].sort((a, b) => a[0] - b[0]).map(([ts, a]) => {
    a.sort((x, y) => x - y);
    return { ts, p50: quantileSorted(a, 0.5), p95: quantileSorted(a, 0.95), p99: quantileSorted(a, 0.99), count: a.length, errors: 0 };
  });
}
