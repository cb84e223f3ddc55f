/**
 * A trace run's request budget for backends read one stream per endpoint (no grouped query): at
 * Lightstep's ~2 requests/s a run must fit its interval, so it spends a fixed number of calls —
 * on endpoints whose stored p99 shows a spike first, then on the others longest-unsynced first —
 * and leaves the rest for the next runs, which reach them first. Pure.
 */
import { spikeRatio, SPIKE_RATIO } from "./exemplar-budget";

export interface StreamCandidate {
  id: string;
  /** p99 of its newest stored minutes (voting minutes only), oldest first. */
  recentP99: (number | null)[];
  /** Median p99 of its stored last 24 h, null when none. */
  baselineP99: number | null;
  /** Epoch ms its points were last read up to; null if never. */
  syncedUntil: number | null;
}

export interface StreamPlanEntry {
  id: string;
  spiking: boolean;
}

/** Every candidate in the order a run serves them: spikes (largest first), then longest-unsynced. */
export function orderStreamEndpoints(candidates: StreamCandidate[]): StreamPlanEntry[] {
  const scored = candidates.map((c, order) => ({ c, order, ratio: spikeRatio(c.recentP99, c.baselineP99) }));
  const spiking = scored.filter((s) => s.ratio >= SPIKE_RATIO).sort((a, b) => b.ratio - a.ratio || a.order - b.order);
  const rest = scored.filter((s) => s.ratio < SPIKE_RATIO)
    .sort((a, b) => (a.c.syncedUntil ?? -Infinity) - (b.c.syncedUntil ?? -Infinity) || a.order - b.order);
  return [...spiking, ...rest].map((s) => ({ id: s.c.id, spiking: s.ratio >= SPIKE_RATIO }));
}

/** Requests a run may still make. */
export class RequestBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** Takes `n` requests if they fit; false (nothing taken) otherwise. */
  take(n = 1): boolean {
    if (n > this.remaining) return false;
    this.used += n;
    return true;
  }
}

/** A run's default budget: three quarters of what the backend's rate limit allows in one interval. */
export function defaultRequestBudget(intervalSeconds: number, requestsPerSecond = 2): number {
  return Math.max(1, Math.floor(intervalSeconds * requestsPerSecond * 0.75));
}
