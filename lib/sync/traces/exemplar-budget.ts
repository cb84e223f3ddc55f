/**
 * Which endpoints get exemplars this run. Pure. Reading exemplars costs calls per endpoint (a
 * stream timeseries plus stored traces), so under a 2 requests/s limit a run can afford a few:
 * endpoints whose newest points show a sustained p99 spike come first (the incident endpoint must
 * not wait its turn), the rest take turns, longest-unvisited first. The caller reads fewer stored
 * traces for a turn-taker than for a spike: a turn only keeps the endpoint's exemplars fresh.
 */
export interface ExemplarCandidate {
  id: string;
  /** p99 of the minutes written this run, oldest first (nulls for empty minutes allowed). */
  recentP99: (number | null)[];
  /** Median p99 of the stored last 24 h, null when there is none. */
  baselineP99: number | null;
  /** Epoch ms up to which exemplars were last read; null if never. */
  exemplarsUntil: number | null;
}

/** Minutes a raised p99 must last to count: one slow minute on a quiet endpoint is noise. */
export const SPIKE_MINUTES = 10;
export const SPIKE_RATIO = 2;
/**
 * Requests a minute needs for its p99 to vote on a spike: below it the "p99" is one or two requests'
 * latency, and a sparse endpoint's newest minutes doubled its median often enough that quiet runs
 * spent their trace-backend calls on noise (and the incremental sync's time with them).
 */
export const SPIKE_MIN_REQUESTS = 5;

/** The p99s of minutes with enough requests to vote; the others as null. */
export function votingP99(points: readonly { p99: number | null; count: number }[]): (number | null)[] {
  return points.map((p) => (p.count >= SPIKE_MIN_REQUESTS ? p.p99 : null));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** Highest median p99 over any SPIKE_MINUTES run of recent minutes (all of them if fewer), over the baseline. */
export function spikeRatio(recentP99: (number | null)[], baselineP99: number | null): number {
  const xs = recentP99.filter((v): v is number => v !== null);
  if (!xs.length || !baselineP99 || baselineP99 <= 0) return 0;
  const w = Math.min(SPIKE_MINUTES, xs.length);
  let best = 0;
  for (let i = 0; i + w <= xs.length; i++) best = Math.max(best, median(xs.slice(i, i + w)));
  return best / baselineP99;
}

export interface ExemplarPick {
  id: string;
  spiking: boolean;
}

export function chooseExemplarEndpoints(candidates: ExemplarCandidate[], budget: number): ExemplarPick[] {
  const scored = candidates.map((c, order) => ({ c, order, ratio: spikeRatio(c.recentP99, c.baselineP99) }));
  const spiking = scored.filter((s) => s.ratio >= SPIKE_RATIO).sort((a, b) => b.ratio - a.ratio || a.order - b.order);
  const rest = scored
    .filter((s) => s.ratio < SPIKE_RATIO)
    .sort((a, b) => (a.c.exemplarsUntil ?? -Infinity) - (b.c.exemplarsUntil ?? -Infinity) || a.order - b.order);
  return [...spiking, ...rest].slice(0, Math.max(0, budget)).map((s) => ({ id: s.c.id, spiking: s.ratio >= SPIKE_RATIO }));
}
