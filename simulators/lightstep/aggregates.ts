/**
 * Per-minute, per-operation aggregates of the world's gateway requests, cached so 24 h of stream
 * timeseries is cheap. Only minutes that have fully passed are cached (the current minute is still
 * filling). Also remembers which minute each span and trace id belongs to, so stored-traces can
 * regenerate the request instead of holding every request in memory.
 */
import type { SimRequest } from "../world/types";

export interface SimWorldLike {
  anchor: Date;
  requestsInMinute(minuteStartMs: number): SimRequest[];
}

export interface MinuteOp {
  /** Gateway latencies (ms), sorted ascending. */
  latencies: Float64Array;
  errors: number;
  /** The slowest few requests, slowest first: exemplar candidates. */
  slowest: SimRequest[];
  /** One request near the median, so exemplars are not all outliers. */
  typical?: SimRequest;
}

export const MINUTE = 60_000;
const SLOWEST_KEPT = 3;

export function operationOf(r: Pick<SimRequest, "method" | "template">): string {
  return `${r.method} ${r.template}`;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export class MinuteAggregates {
  private readonly cache = new Map<number, Map<string, MinuteOp>>();
  private readonly spanMinute = new Map<string, number>();

  constructor(private readonly world: SimWorldLike, private readonly now: () => number = Date.now) {}

  /** The minute's requests the backend holds: an API with detailed tracing off sends none. */
  private traced(minuteStartMs: number): SimRequest[] {
    return this.world.requestsInMinute(minuteStartMs).filter((r) => r.traceId !== "");
  }

  /** Aggregates for one minute (keyed by operation). */
  minute(minuteStartMs: number): Map<string, MinuteOp> {
    const hit = this.cache.get(minuteStartMs);
    if (hit) return hit;
    const requests = this.traced(minuteStartMs).filter((r) => r.ts <= this.now());
    const groups = new Map<string, SimRequest[]>();
    for (const r of requests) {
      const op = operationOf(r);
      let g = groups.get(op);
      if (!g) groups.set(op, (g = []));
      g.push(r);
      this.spanMinute.set(r.spanId, minuteStartMs);
      this.spanMinute.set(r.traceId, minuteStartMs);
    }
    const out = new Map<string, MinuteOp>();
    for (const [op, rs] of groups) {
      const bySpeed = [...rs].sort((a, b) => b.latencyMs - a.latencyMs);
      const latencies = Float64Array.from(rs.map((r) => r.latencyMs)).sort();
      out.set(op, {
        latencies,
        errors: rs.filter((r) => r.status >= 500).length,
        slowest: bySpeed.slice(0, SLOWEST_KEPT),
        typical: bySpeed.length > SLOWEST_KEPT ? bySpeed[Math.floor(bySpeed.length / 2)] : undefined,
      });
    }
    if (minuteStartMs + MINUTE <= this.now()) this.cache.set(minuteStartMs, out);
    return out;
  }

  /** Drops the minutes from `ms` on: the gateway's answers to them changed (a policy was written). */
  forgetFrom(ms: number): void {
    const from = Math.floor(ms / MINUTE) * MINUTE;
    for (const m of [...this.cache.keys()]) if (m >= from) this.cache.delete(m);
  }

  /** Finds a request by span id (or trace id) among minutes already aggregated, else by scanning the last 25 h. */
  findRequest(id: string): SimRequest | undefined {
    const known = this.spanMinute.get(id);
    if (known !== undefined) return this.traced(known).find((r) => r.spanId === id || r.traceId === id);
    const end = Math.floor(this.now() / MINUTE) * MINUTE;
    for (let m = end; m >= end - 25 * 60 * MINUTE; m -= MINUTE) {
      this.minute(m);
      if (this.spanMinute.has(id)) return this.findRequest(id);
    }
    return undefined;
  }

  /** Every request in [from, to) (queries grouped by attributes other than the operation). */
  requestsBetween(fromMs: number, toMs: number): SimRequest[] {
    const out: SimRequest[] = [];
    for (let m = Math.floor(fromMs / MINUTE) * MINUTE; m < toMs; m += MINUTE) {
      for (const r of this.traced(m)) if (r.ts >= fromMs && r.ts < toMs && r.ts <= this.now()) out.push(r);
    }
    return out;
  }

  /** Requests of one operation in [from, to), for grouped queries. */
  requestsOf(operation: string, fromMs: number, toMs: number): SimRequest[] {
    const out: SimRequest[] = [];
    for (let m = Math.floor(fromMs / MINUTE) * MINUTE; m < toMs; m += MINUTE) {
      for (const r of this.traced(m)) {
        if (r.ts >= fromMs && r.ts < toMs && r.ts <= this.now() && operationOf(r) === operation) out.push(r);
      }
    }
    return out;
  }
}

export interface Window {
  oldest: number;
  youngest: number;
  count: number;
  errors: number;
  percentiles: Map<number, number | null>;
  exemplars: SimRequest[];
}

/** Windows of `resolutionMs` from `fromMs` (floored to the minute) to `toMs`, merging minute distributions. */
export function windowsFor(agg: MinuteAggregates, operation: string, fromMs: number, toMs: number, resolutionMs: number, pcts: number[]): Window[] {
  const out: Window[] = [];
  const start = Math.floor(fromMs / MINUTE) * MINUTE;
  for (let w = start; w < toMs; w += resolutionMs) {
    const parts: MinuteOp[] = [];
    for (let m = w; m < Math.min(w + resolutionMs, toMs); m += MINUTE) {
      const op = agg.minute(m).get(operation);
      if (op) parts.push(op);
    }
    const merged = parts.length === 1 ? parts[0].latencies : Float64Array.from(parts.flatMap((p) => Array.from(p.latencies))).sort();
    const candidates = parts.flatMap((p) => [...p.slowest, ...(p.typical ? [p.typical] : [])]);
    const slowest = [...candidates].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, SLOWEST_KEPT);
    const typical = parts.find((p) => p.typical)?.typical;
    out.push({
      oldest: w,
      youngest: w + resolutionMs,
      count: merged.length,
      errors: parts.reduce((n, p) => n + p.errors, 0),
      percentiles: new Map(pcts.map((p) => [p, percentile(merged, p)])),
      exemplars: typical && !slowest.includes(typical) ? [...slowest, typical] : slowest,
    });
  }
  return out;
}
