/**
 * What an incremental trace run may skip. Pure. Under the 2 requests/s limit every backend call
 * costs ~0.5 s, so a run makes only the calls that can bring something new: the operations list
 * (which maps endpoints to operations) changes only when the estate does, and exemplars for
 * endpoints without a spike only keep them fresh, which a slower cadence does as well.
 */
export const DEFAULT_OPERATIONS_REFRESH_MS = 60 * 60_000;
export const DEFAULT_EXEMPLAR_TURN_MS = 15 * 60_000;

/** sync_state["traces:operations-refresh"]: when the operations list was last read, for which endpoints. */
export interface OperationsRefreshState {
  at: string;
  /** Digest of the non-manual endpoint ids mapped then: a new endpoint forces a refresh. */
  endpoints: string;
}

/** sync_state["traces:exemplar-turn"]: when a non-spiking endpoint last took its exemplar turn. */
export interface ExemplarTurnState {
  at: string;
}

export function operationsRefreshDue(
  prev: OperationsRefreshState | null, nowMs: number, endpointsDigest: string, opts: { unmapped: boolean; intervalMs?: number; force?: boolean },
): boolean {
  if (opts.force || opts.unmapped || !prev || prev.endpoints !== endpointsDigest) return true;
  const at = Date.parse(prev.at);
  // A clock that went backwards (or a bad value) refreshes rather than trusting the stamp.
  return !(at <= nowMs) || nowMs - at >= (opts.intervalMs ?? DEFAULT_OPERATIONS_REFRESH_MS);
}

export function exemplarTurnDue(prev: ExemplarTurnState | null, nowMs: number, intervalMs = DEFAULT_EXEMPLAR_TURN_MS): boolean {
  if (!prev) return true;
  const at = Date.parse(prev.at);
  return !(at <= nowMs) || nowMs - at >= intervalMs;
}
