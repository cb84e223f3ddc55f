/** One key's requests since a rotation began, from request records. */
export interface KeyTraffic {
  requests: number;
  /** Of those, in the last `recentMinutes`. */
  recent: number;
  /** Turned away by the gateway (401/403): callers still presenting a key that no longer works. */
  refused: number;
  /** The first request the gateway accepted. */
  firstAt: Date | null;
  lastAt: Date | null;
}

export type MoveVerdict = "moved" | "moving" | "not_moved" | "quiet";

export const RECENT_MINUTES = 30;

/** Has the old key's traffic moved to the new key? Judged on the recent window, with the whole grace period as context. */
export function moveVerdict(oldKey: KeyTraffic, newKey: KeyTraffic): { verdict: MoveVerdict; summary: string } {
  if (!oldKey.requests && !newKey.requests) {
    return { verdict: "quiet", summary: "No requests on either key since the rotation began: nothing to move, or the callers are idle." };
  }
  if (!oldKey.recent && newKey.requests) {
    return { verdict: "moved", summary: `Callers have moved: no requests on the old key in the last ${RECENT_MINUTES} min, the new key is in use.` };
  }
  if (oldKey.recent && newKey.recent) {
    return { verdict: "moving", summary: "Both keys are in use: some callers have moved, others still send the old key." };
  }
  if (oldKey.recent) {
    return { verdict: "not_moved", summary: "Callers still use the old key; the new key has not been used recently. Deleting the old key now would break them." };
  }
  return { verdict: "quiet", summary: `No requests on either key in the last ${RECENT_MINUTES} min.` };
}
