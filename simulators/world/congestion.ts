// How the incident API's upstream (the Orders service) slows under the load it is actually sent.
// Its load is its busy time: the upstream milliseconds of the requests the gateway let through in a
// minute. Up to KNEE it keeps up; past it requests queue and latency grows with the excess, until
// SATURATED, where its connection pool is full and the queue (bounded by the pool's timeout) stops
// growing. The excess is what a flood adds, so cutting the flood at the gateway brings latency back.
//
// Calibrated on the seeded world: an ordinary minute of the Orders API is at most ~7 s of upstream
// work (seeds 3–42, any hour of the day), a minute of the batch export's flood at least ~50 s. So
// without a written limit every flood minute is saturated and every other minute is under the
// knee — the world's latencies are exactly what its scripted incident always produced.

/** Upstream milliseconds of work per minute the Orders service absorbs without queueing. */
export const KNEE_MS = 12_000;
/** Upstream milliseconds per minute at which its queue is full. */
export const SATURATED_MS = 30_000;

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
