// The parts of a proposed limit that act after the rate: Tyk's throttle (a request over the rate is
// retried `throttle_retry_limit` times, `throttle_interval` seconds apart, before its 429) and quota
// (`quota_max` requests per `quota_renewal_rate` seconds; the gateway answers 403 "Quota exceeded"
// past it). Like the rate's replay, they see one key's per-minute counts with requests evenly spread
// within a minute.

export interface QuotaThrottle {
  quotaMax?: number;
  quotaRenewalRate?: number;
  throttleInterval?: number;
  throttleRetryLimit?: number;
}

/**
 * The rate's rejections per minute (`cut`) after the throttle's retries, and per minute how many of
 * its requests got through late (served in the next minute). A minute over a per-minute allowance is
 * saturated throughout, so a retry succeeds only when it lands in the next minute: the share of a minute's rejected requests that arrived in its
 * last `interval × retries` seconds carries over, and gets through as far as the next minute has room
 * left by its own requests. Only for windows of a minute or less (`perMinute` allowance); a longer
 * window's room depends on earlier minutes and its retries are counted as rejected.
 */
export function throttleRetries(
  minutes: number[], counts: number[], cut: number[], perMinute: number, t: Pick<QuotaThrottle, "throttleInterval" | "throttleRetryLimit">,
): { cut: number[]; delayed: number[] } {
  const out = cut.slice();
  const delayed = new Array<number>(cut.length).fill(0);
  const horizon = (t.throttleInterval ?? 0) * (t.throttleRetryLimit ?? 0);
  if (!(horizon > 0) || !Number.isFinite(perMinute)) return { cut: out, delayed };
  const reach = Math.min(1, horizon / 60);
  for (let i = 0; i < out.length; i++) {
    const retrying = Math.round(out[i] * reach);
    if (!retrying) continue;
    // The next minute's room: what its own served requests leave (all of it when the key was quiet then).
    const j = i + 1 < minutes.length && minutes[i + 1] === minutes[i] + 60_000 ? i + 1 : -1;
    const room = Math.floor(Math.max(0, perMinute - (j < 0 ? 0 : counts[j] - out[j])));
    delayed[i] = Math.min(retrying, room);
    out[i] -= delayed[i];
  }
  return { cut: out, delayed };
}

/**
 * Requests past the quota per minute, of those the rate (and throttle) let through (`allowed`). A
 * quota period starts with the key's first allowed request and renews `quotaRenewalRate` seconds
 * later, the next one starting with the first request after that — as Tyk renews a key's quota.
 */
export function quotaRejected(minutes: number[], allowed: number[], q: Pick<QuotaThrottle, "quotaMax" | "quotaRenewalRate">): number[] {
  const out = new Array<number>(allowed.length).fill(0);
  if (!(q.quotaMax && q.quotaMax > 0 && q.quotaRenewalRate && q.quotaRenewalRate > 0)) return out;
  const span = q.quotaRenewalRate * 1000;
  let renews = -Infinity, used = 0;
  for (let i = 0; i < allowed.length; i++) {
    if (!allowed[i]) continue;
    if (minutes[i] >= renews) {
      renews = minutes[i] + span;
      used = 0;
    }
    const ok = Math.min(allowed[i], Math.max(0, q.quotaMax - used));
    used += ok;
    out[i] = allowed[i] - ok;
  }
  return out;
}
