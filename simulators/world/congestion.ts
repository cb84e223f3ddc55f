// How the incident API's upstream (the Orders service) slows under the load it is actually sent.
// Its load is its busy time: the upstream milliseconds of the requests the gateway let through in a
// minute. Up to KNEE it keeps up; past it requests queue and latency grows with the excess, until
// SATURATED, where its connection pool is full and the queue (bounded by the pool's timeout) stops
// growing. The excess is what a flood adds, so cutting the flood at the gateway brings latency back.
//
// Calibrated on the seeded world (seeds 1–12 and 42 at four hours of the day): an ordinary minute of
// the Orders API is at most ~7 s of unloaded upstream work, a minute of the batch export's flood at
// least ~12.5 s (its ~45 export queries take ~0.4 s each alone, 1–3.2 s queued). So without a written
// limit every flood minute is saturated and every other minute is under the knee — the world's
// latencies are what its scripted incident always produced; a flood cut to a few exports a minute
// leaves the upstream under the knee, and the exports themselves fast again.

/** Upstream milliseconds of work per minute the Orders service absorbs without queueing. */
export const KNEE_MS = 8_000;
/** Upstream milliseconds per minute at which its queue is full. */
export const SATURATED_MS = 12_000;

/** The share (0–1) of the full slowdown reached at a minute's load. */
export function congestion(loadMs: number): number {
  if (loadMs <= KNEE_MS) return 0;
  if (loadMs >= SATURATED_MS) return 1;
  return (loadMs - KNEE_MS) / (SATURATED_MS - KNEE_MS);
}

/** A request's upstream latency given its unloaded latency, the slowdown of its route when saturated, and the minute's congestion. */
export function congested(unloadedMs: number, saturatedFactor: number, share: number): number {
  if (share === 0 || saturatedFactor === 1) return unloadedMs;
  if (share === 1) return unloadedMs * saturatedFactor;
  return unloadedMs * (1 + (saturatedFactor - 1) * share);
}
