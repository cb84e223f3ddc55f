// Each key's per-minute request counts on one endpoint (from endpoint_caller_minutes, see
// load-callers.ts), and what the limits panel derives from them: a key's normal peak and the
// minutes it went over a proposed limit. Pure, so one read serves both.
import { quantileSorted } from "@/lib/analysis/stats";
import type { CallerPeak } from "./recommend";

/** One key's requests to the endpoint per minute over a window, the minutes it called in ascending order. */
export interface KeyMinutes {
  keyHash: string;
  label: string;
  /** Its policies now (the keys table), else the ones its requests carried. */
  policyIds: string[];
  /** Minute starts (epoch ms), ascending, with counts[i] requests each (rejected ones included). */
  minutes: Float64Array;
  counts: Float64Array;
}

/**
 * Each key with its requests and the p95 of its per-minute count over the minutes it called (its
 * normal peak), leaving out `abnormalMinutes` (epoch ms; the minutes the endpoint was over its
 * objective: a flood that broke it is not anyone's normal) — a key that called only in those minutes
 * has a normal peak of 0. Busiest first. The p95 interpolates as PostgreSQL's percentile_cont does.
 */
export function callerPeaks(keys: KeyMinutes[], abnormalMinutes: number[] = []): CallerPeak[] {
  const abnormal = new Set(abnormalMinutes);
  let scratch = new Float64Array(0);
  return keys.map((k) => {
    if (scratch.length < k.counts.length) scratch = new Float64Array(k.counts.length);
    let requests = 0, n = 0;
    for (let i = 0; i < k.minutes.length; i++) {
      requests += k.counts[i];
      if (!abnormal.has(k.minutes[i])) scratch[n++] = k.counts[i];
    }
    const normal = scratch.subarray(0, n).sort();
    return { keyHash: k.keyHash, label: k.label, policyIds: k.policyIds, requests, p95PerMin: n ? quantileSorted(normal, 0.95) : 0 };
  }).sort((a, b) => b.requests - a.requests || (a.keyHash < b.keyHash ? -1 : 1));
}

/** The minutes (epoch ms) in which each key of `limits` (key hash → requests per minute) sent more than its limit. */
export function overLimitMinutes(keys: KeyMinutes[], limits: Map<string, number>): Map<string, number[]> {
  const out = new Map<string, number[]>([...limits.keys()].map((k) => [k, []]));
  for (const k of keys) {
    const limit = limits.get(k.keyHash);
    if (limit === undefined) continue;
    const over = out.get(k.keyHash)!;
    for (let i = 0; i < k.minutes.length; i++) if (k.counts[i] > limit) over.push(k.minutes[i]);
  }
  return out;
}
