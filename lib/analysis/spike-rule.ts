// What counts as a spike, for the endpoints list and the endpoint page alike (both reach it through
// detectSpikes), and how spikes rank against each other.
//
// The detector's statistical test finds any sustained upward shift. Two kinds of shift it finds
// are not incidents, and the page then says "p99 did not rise … nothing to attribute" while the
// list called them spikes:
// - a small drift: median over the shift below ×1.5 of the baseline (on the demo world, ×1.3 over
//   hours, where the requests' p99 rose 4–13%);
// - a blip: over within a few minutes (on the demo world, ×1.8 for one minute of 41 requests).
// A shift still going on at the end of the data is kept whatever its length: it may be the start
// of an incident, and the responder needs to see it now.
const MIN = 60_000;

export const SPIKE_RULE = {
  /** Median of the metric over the spike ÷ baseline, at least. */
  minSustainedRatio: 1.5,
  /** An ended spike lasted at least this many minutes (start to last high minute, inclusive). */
  minEndedMinutes: 5,
} as const;

export interface SpikeShape {
  start: number;
  /** Last minute of the spike; absent while it is ongoing. */
  end?: number;
  sustainedRatio: number;
}

/** Whether a shift the detector found is a spike to report. */
export function isReportableSpike(s: SpikeShape): boolean {
  if (!(s.sustainedRatio >= SPIKE_RULE.minSustainedRatio)) return false;
  return s.end == null || (s.end - s.start) / MIN + 1 >= SPIKE_RULE.minEndedMinutes;
}

/** Why a shift is not reported, in words for the page (null when it is a spike). */
export function belowRuleReason(s: SpikeShape): string | null {
  if (isReportableSpike(s)) return null;
  if (!(s.sustainedRatio >= SPIKE_RULE.minSustainedRatio)) {
    return `p99 rose only ×${s.sustainedRatio.toFixed(2)} over its baseline, below the ×${SPIKE_RULE.minSustainedRatio} a spike needs`;
  }
  return `p99 was high for under ${SPIKE_RULE.minEndedMinutes} minutes`;
}

export interface SeverityShape {
  magnitude: number;
  start: number;
}

/** Most severe first: the larger rise over baseline (peak ÷ baseline), then the more recent. */
export function compareSpikeSeverity(a: SeverityShape, b: SeverityShape): number {
  return b.magnitude - a.magnitude || b.start - a.start;
}
