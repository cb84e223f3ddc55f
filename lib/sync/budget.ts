/**
 * How long one run of a sync stage may take before it is stopped (and recorded failed, to resume
 * next run). Set per stage by configuration, or derived from the stage's own recent runs: a run
 * several times longer than the slowest recent one is stuck, not busy. A first run (no history)
 * may be a long backfill and gets a generous budget; a stopped backfill resumes where it left off.
 */
export interface BudgetInput {
  /** The configured budget, in seconds, if any. */
  configuredSeconds?: number;
  /** Durations (ms) of the stage's recent runs that finished on their own (succeeded or partial). */
  recentMs: number[];
  /** The stage's sync interval, in seconds. */
  intervalSeconds: number;
}

export const FIRST_RUN_BUDGET_MS = 30 * 60_000;
/** A derived budget is this many times the slowest recent run… */
export const BUDGET_FACTOR = 5;
/** …never under 2 min (nor two intervals), never over 2 h. */
export const MIN_BUDGET_MS = 2 * 60_000;
export const MAX_BUDGET_MS = 2 * 3_600_000;

export function stageBudgetMs({ configuredSeconds, recentMs, intervalSeconds }: BudgetInput): number {
  if (configuredSeconds !== undefined) return configuredSeconds * 1000;
  const finished = recentMs.filter((ms) => Number.isFinite(ms) && ms >= 0);
  if (!finished.length) return FIRST_RUN_BUDGET_MS;
  const floor = Math.max(MIN_BUDGET_MS, 2 * intervalSeconds * 1000);
  return Math.min(MAX_BUDGET_MS, Math.max(floor, BUDGET_FACTOR * Math.max(...finished)));
}

