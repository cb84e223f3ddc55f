// A cause before its effect. An access change that enabled a key's traffic inherits that traffic's
// share (attribution.md §3 "Enabled by"), so the two often tie: the same point share, intervals a
// bootstrap's noise apart. Ranked by the lower bound alone, which of them comes first would then
// depend on the resamples — on the weighted sample one way, over every request the other. The
// change is what a responder reverts and the key's surge its consequence: when the change explains
// at least what the key does (as the answer shows shares, in whole percent), it ranks right before
// the first of the keys it enabled, whatever their lower bounds.
import type { Suspect } from "./types";

/** A share as the answer shows it (whole percent): differences below that are noise, not an order. */
const shown = (share: number) => Math.round(share * 100);

/**
 * `ranked` (best first; key members already before the groups they carry) with each access change
 * or deploy moved right before the first-ranked key it enabled, when its shown point share is at
 * least that key's. Stable otherwise; a change already ahead of its keys stays where it is.
 */
export function causesBeforeEffects(ranked: Suspect[]): Suspect[] {
  const out = [...ranked];
  for (const change of ranked) {
    const keys = change.evidence.enables?.keyHashes;
    if ((change.kind !== "access_change" && change.kind !== "deploy") || !keys?.length) continue;
    const at = out.indexOf(change);
    const first = out.findIndex((s, i) => i < at && s.kind === "key" && keys.includes(s.id) && shown(change.share.point) >= shown(s.share.point));
    if (first < 0) continue;
    out.splice(at, 1);
    out.splice(first, 0, change);
  }
  return out;
}
