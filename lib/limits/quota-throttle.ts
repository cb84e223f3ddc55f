// Quota and throttle on top of a rate recommendation, only where they help. A quota caps a key's
// volume over a renewal period (a day here): it is worth setting when a flood's day dwarfs the
// keys' normal day, and only at a value that would have capped that flood — never below any key's
// normal day (the busiest key's, plus a margin), else it rejects ordinary traffic. A throttle makes
// Tyk queue and retry a request over the rate instead of answering 429 at once: right for short,
// isolated bursts (a queue drains after them), wrong for sustained floods (it only adds latency).
import { formatRate } from "./capacity";
import type { Limit } from "./recommend";

export const QUOTA_RENEWAL_S = 86_400;
/** Above the busiest key's normal day, so a busy-but-normal day never hits the quota. */
export const QUOTA_MARGIN = 0.5;
/** The longest run of over-limit minutes that still counts as a short burst. */
export const SHORT_BURST_MINUTES = 2;

export interface KeyVolume {
  keyHash: string;
  /** Requests per UTC day on days without the incident (the endpoint within its objective all day). */
  normalDays: number[];
  /** Its busiest day among the incident's days (0 when it did not call then). */
  incidentDay: number;
}

export interface QuotaRecommendation {
  quotaMax: number;
  quotaRenewalRate: number;
  line: string;
}

export interface ThrottleRecommendation {
  throttleInterval: number;
  throttleRetryLimit: number;
  line: string;
}

/** p95 with linear interpolation (0 without values). */
export function p95(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const i = 0.95 * (s.length - 1), lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}

/**
 * A daily quota for a policy's keys: the busiest key's normal day (p95 of its normal days) × (1 +
 * margin) — or null when no key has a normal day to judge by, when it would not have capped any
 * key's incident day, or when the policy's current quota is already at least as tight.
 */
export function recommendQuota(keys: KeyVolume[], currentQuotaMax: number | null, margin = QUOTA_MARGIN): QuotaRecommendation | null {
  const judged = keys.filter((k) => k.normalDays.length > 0);
  if (!judged.length) return null;
  const normal = judged.map((k) => ({ k, day: p95(k.normalDays) }));
  const busiest = normal.reduce((a, b) => (b.day > a.day ? b : a));
  const quotaMax = Math.max(1, Math.ceil(busiest.day * (1 + margin)));
  const flood = judged.reduce((a, b) => (b.incidentDay > a.incidentDay ? b : a));
  if (flood.incidentDay <= quotaMax) return null;
  if (currentQuotaMax !== null && currentQuotaMax > 0 && currentQuotaMax <= quotaMax) return null;
  const capped = flood.incidentDay - quotaMax;
  return {
    quotaMax, quotaRenewalRate: QUOTA_RENEWAL_S,
    line: `quota ${quotaMax.toLocaleString("en-US")} per day — its busiest key's normal day ${formatRate(busiest.day)} (p95 of ${busiest.k.normalDays.length} days) + ${Math.round(margin * 100)}%; ` +
      `would have cut its flood day of ${formatRate(flood.incidentDay)} by ${formatRate(capped)}`,
  };
}

/** Start times (epoch ms) of consecutive minutes, as run lengths. */
export function longestRun(minutes: number[]): number {
  const s = [...new Set(minutes)].sort((a, b) => a - b);
  let best = 0, run = 0;
  for (let i = 0; i < s.length; i++) {
    run = i > 0 && s[i] - s[i - 1] === 60_000 ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return best;
}

/**
 * A throttle when every key's minutes over the proposed limit come in runs of at most
 * SHORT_BURST_MINUTES: retries spread over one window (`per`) let a short burst through a little
 * later instead of rejecting it. Null without over-limit minutes or with a longer run.
 */
export function recommendThrottle(overLimitMinutes: Map<string, number[]>, proposed: Limit): ThrottleRecommendation | null {
  const runs = [...overLimitMinutes.values()].filter((m) => m.length > 0).map(longestRun);
  if (!runs.length || Math.max(...runs) > SHORT_BURST_MINUTES) return null;
  const throttleRetryLimit = 12;
  const throttleInterval = Math.max(1, Math.ceil(proposed.per / throttleRetryLimit));
  const minutes = [...overLimitMinutes.values()].reduce((s, m) => s + new Set(m).size, 0);
  return {
    throttleInterval, throttleRetryLimit,
    line: `throttle: retry every ${throttleInterval} s up to ${throttleRetryLimit} times — its keys' ${minutes} minute${minutes === 1 ? "" : "s"} over ${proposed.rate} per ${proposed.per} s ` +
      `come in bursts of at most ${Math.max(...runs)} min, so Tyk queues and retries them (up to ${throttleInterval * throttleRetryLimit} s later) instead of answering 429 at once`,
  };
}
