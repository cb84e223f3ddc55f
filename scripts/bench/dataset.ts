/**
 * The benchmark's data set, sized from one `scale` (1 = the figures: 10,000,000 request
 * records over 30 days for 200 endpoints, 20,000 keys, 2,000 policies). Pure: shapes and the
 * deterministic choice of investigation pairs; generation lives in generate.ts.
 *
 * Smaller scales shorten the period rather than thin the traffic, so per-minute density (what spike
 * detection and the investigation's aggregates see) stays the same at every scale.
 */

export const DAY = 86_400_000;
export const MINUTE = 60_000;
/** End of the generated period: fixed, so runs are comparable and the data set is deterministic. */
export const PERIOD_END = Date.UTC(2026, 10, 1);

export interface DatasetShape {
  scale: number;
  rows: number;
  days: number;
  apis: number;
  endpoints: number;
  /** Endpoints 0..busy-1 carry half of all traffic; the investigation pairs are drawn from them. */
  busy: number;
  keys: number;
  identities: number;
  policies: number;
  /** (endpoint, 24 h window) pairs investigated; each gets one culprit surge. */
  pairs: number;
  /** Requests per minute of an incident's culprit surge, for `surgeMinutes`. */
  surgeRate: number;
  surgeMinutes: number;
  from: number;
  to: number;
}

export function datasetShape(scale: number, pairs = 50): DatasetShape {
  if (!(scale > 0)) throw new Error("scale must be > 0");
  const days = Math.max(1, Math.min(30, Math.round(30 * scale)));
  const busy = 10;
  const p = Math.max(1, Math.min(pairs, busy * days));
  return {
    scale,
    rows: Math.max(1000, Math.round(10_000_000 * scale)),
    days,
    apis: 20,
    endpoints: 200,
    busy,
    keys: Math.max(200, Math.round(20_000 * scale)),
    identities: Math.max(20, Math.round(2_000 * scale)),
    policies: Math.max(p + 10, Math.round(2_000 * scale)),
    pairs: p,
    surgeRate: 40,
    surgeMinutes: 45,
    from: PERIOD_END - days * DAY,
    to: PERIOD_END,
  };
}

export interface Pair {
  /** Index into the pairs; incident j's culprit is key j under policy j. */
  j: number;
  endpoint: number;
  day: number;
  /** The investigated window: the whole day. */
  from: number;
  to: number;
  surgeStart: number;
  /** When the culprit's policy was raised (12 minutes before the surge). */
  changeAt: number;
}

// A small integer hash (xorshift-multiply), enough to shuffle pairs deterministically.
function mix(n: number): number {
  let x = (n + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** The investigated (busy endpoint, day) pairs, spread over endpoints and days, deterministic. */
export function investigationPairs(s: DatasetShape): Pair[] {
  const all: { endpoint: number; day: number; h: number }[] = [];
  for (let d = 0; d < s.days; d++) for (let e = 0; e < s.busy; e++) all.push({ endpoint: e, day: d, h: mix(d * 1000 + e) });
  all.sort((a, b) => a.h - b.h);
  return all.slice(0, s.pairs).map((p, j) => {
    const from = s.from + p.day * DAY;
    const surgeStart = from + (6 + (j * 5) % 12) * 60 * MINUTE + ((j * 17) % 60) * MINUTE;
    return { j, endpoint: p.endpoint, day: p.day, from, to: from + DAY, surgeStart, changeAt: surgeStart - 12 * MINUTE };
  });
}

export const apiId = (a: number) => `bench-api-${String(a).padStart(2, "0")}`;
export const endpointId = (e: number) => `bench-ep-${String(e).padStart(3, "0")}`;
export const apiOfEndpoint = (e: number) => Math.floor(e / 10);
