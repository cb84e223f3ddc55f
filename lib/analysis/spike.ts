// Spike detection: a sustained upward change-point in a per-minute latency percentile.
//
// Choices, and why:
// - Work on log(latency). Latency noise is multiplicative (spread grows with level), so a log scale
//   gives one threshold that fits quiet and busy endpoints alike.
// - Baseline for each minute = median and 1.4826·MAD of the trailing window (robust to the odd slow
//   minute). Where ≥ 1 day of history exists, first subtract a seasonal profile (median of the same
//   time of day on up to 7 previous days, ±10 min), so a daily batch window is not called a spike.
// - One-sided CUSUM on clipped standardised residuals. Clipping at ±zClip means one wild minute can
//   add at most zClip − k, so a single outlier never alarms; a shift has to persist.
// - While the CUSUM is positive the baseline is frozen at the candidate start, so the spike's own
//   minutes never leak into the baseline they are tested against. start = where the CUSUM last left 0
//   (the change-point estimate), not the alarm.
// - A spike must also be practically large and last (spike-rule.ts, the one rule the endpoints list
//   and the endpoint page share): a 3% shift on a very steady endpoint is "real" statistically and
//   irrelevant to a responder, and so is a one-minute blip.
// - Sparse series: minutes with too few requests are treated as missing; the trailing window widens
//   (up to 4×) until it holds enough points; a gap longer than maxGapMinutes resets the CUSUM.
import type { LatencyPoint, NoSpike, PercentileName, SpikeFound, SpikeResult, TimeWindow } from "./types";
import { median, medianAndSpread } from "./stats";
import { SortedWindow } from "./sorted-window";
import { belowRuleReason } from "./spike-rule";

const MIN = 60_000;
const DAY_MIN = 1440;

export interface SpikeOptions {
  metric?: PercentileName;
  trailingMinutes?: number;
  minBaselinePoints?: number;
  /** Minutes with fewer requests than this are treated as missing. */
  minCount?: number;
  /** CUSUM allowance and threshold, in robust σ units. */
  k?: number;
  h?: number;
  zClip?: number;
  /** Minimum number of minutes above baseline + k·σ between start and alarm. */
  minRun?: number;
  /** Floor on the robust σ, in log units (0.05 ≈ 5%): a flat series must not make noise look huge. */
  spreadFloor?: number;
  seasonal?: boolean | "auto";
  /** Report only spikes starting at or after this time; earlier points are history for the baseline. */
  from?: number;
  /** Consecutive normal minutes that end a spike. */
  endQuietMinutes?: number;
  maxGapMinutes?: number;
}

const DEFAULTS: Required<Omit<SpikeOptions, "from">> = {
  metric: "p99",
  trailingMinutes: 60,
  minBaselinePoints: 10,
  minCount: 3,
  k: 1,
  h: 10,
  zClip: 5,
  minRun: 3,
  spreadFloor: 0.05,
  seasonal: "auto",
  endQuietMinutes: 5,
  maxGapMinutes: 30,
};

export interface SpikeScan {
  spikes: SpikeFound[];
  reason: string;
}

/** Every spike in the series, oldest first; `reason` says why there are none. */
export function detectSpikes(series: LatencyPoint[], options: SpikeOptions = {}): SpikeScan {
  const o = { ...DEFAULTS, ...options };
  const pts = series.filter((p) => Number.isFinite(p.ts)).sort((a, b) => a.ts - b.ts);
  if (pts.length === 0) return { spikes: [], reason: "no latency data" };
  const t0 = Math.floor(pts[0].ts / MIN) * MIN;
  const n = Math.floor((pts[pts.length - 1].ts - t0) / MIN) + 1;
  const y = new Float64Array(n).fill(NaN);
  let observed = 0;
  for (const p of pts) {
    const v = p[o.metric];
    if (v == null || !(v > 0) || p.count < o.minCount) continue;
    const i = Math.floor((p.ts - t0) / MIN);
    if (Number.isNaN(y[i])) observed++;
    y[i] = Math.log(v);
  }
  if (observed < o.minBaselinePoints + o.minRun) return { spikes: [], reason: `not enough data (${observed} usable minutes)` };

  // "auto" needs two days: the profile exists only after a day of history, and residuals for the
  // first day are NaN — with 25 h (a 24 h window plus its hour of history) nothing but the last hour
  // could be analysed, and obvious spikes went unreported.
  const useSeasonal = o.seasonal === true || (o.seasonal === "auto" && n >= 2 * DAY_MIN);
  const seas = useSeasonal ? seasonalProfile(y) : null;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = seas ? y[i] - seas[i] : y[i];

  const masked = new Uint8Array(n);
  const spikes: SpikeFound[] = [];
  const buf = new Float64Array(o.trailingMinutes * 4);
  // The usual window [i − trailing, i) is kept sorted across minutes (the scan only moves forward);
  // masking a spike's minutes changes what it holds, so that rebuilds it.
  const win = new SortedWindow(o.trailingMinutes);
  let winLo = 0, winHi = -1;
  const usable = (j: number) => !masked[j] && !Number.isNaN(r[j]);
  const slide = (i: number) => {
    const lo = Math.max(0, i - o.trailingMinutes);
    if (winHi < 0 || lo >= winHi) {
      win.clear();
      winHi = lo;
    } else {
      for (let j = winLo; j < lo; j++) if (usable(j)) win.remove(r[j]);
    }
    for (let j = winHi; j < i; j++) if (usable(j)) win.insert(r[j]);
    winLo = lo;
    winHi = i;
  };
  const baselineAt = (i: number): { level: number; spread: number } | null => {
    slide(i);
    if (win.size >= o.minBaselinePoints) {
      const b = win.medianAndSpread();
      return { level: b.level, spread: Math.max(b.spread, o.spreadFloor) };
    }
    // Sparse data: widen the window (up to 4×) until it holds enough points.
    for (let widen = 2; widen <= 4; widen *= 2) {
      let m = 0;
      for (let j = Math.max(0, i - o.trailingMinutes * widen); j < i; j++) {
        if (!masked[j] && !Number.isNaN(r[j])) buf[m++] = r[j];
      }
      if (m >= o.minBaselinePoints) {
        const b = medianAndSpread(buf, m);
        return { level: b.level, spread: Math.max(b.spread, o.spreadFloor) };
      }
    }
    return null;
  };

  const firstIdx = o.from != null ? Math.max(0, Math.floor((o.from - t0) / MIN)) : 0;
  let S = 0, cand = -1, lastObs = -1;
  let frozen: { level: number; spread: number } | null = null;
  // The largest shift the spike rule turned down, so "no spike" can say what was seen.
  let dropped: { ratio: number; reason: string } | null = null;
  const z = new Float64Array(n).fill(NaN);
  for (let i = firstIdx; i < n; i++) {
    if (Number.isNaN(r[i])) continue;
    if (S > 0 && lastObs >= 0 && i - lastObs > o.maxGapMinutes) { S = 0; frozen = null; }
    lastObs = i;
    const base: { level: number; spread: number } | null = frozen ?? baselineAt(i);
    if (!base) continue;
    z[i] = Math.max(-o.zClip, Math.min(o.zClip, (r[i] - base.level) / base.spread));
    const next = Math.max(0, S + z[i] - o.k);
    if (S === 0 && next > 0) { cand = i; frozen = base; }
    S = next;
    if (S === 0) { frozen = null; continue; }
    if (S <= o.h) continue;

    // Alarm at i. Confirm persistence, then follow the spike to its end with the frozen baseline.
    let run = 0;
    const early: number[] = [];
    for (let j = cand; j <= i; j++) {
      if (z[j] > o.k) run++;
      if (!Number.isNaN(r[j])) early.push(r[j]);
    }
    // A minute still belongs to the spike while it sits above half the shift seen so far (and
    // above k·σ): with only k·σ, ordinary noise after a big spike would keep extending it.
    const stillHigh = base.level + Math.max(o.k * base.spread, (median(early) - base.level) / 2);
    let end = i, quiet = 0, ongoing = true;
    for (let j = i + 1; j < n; j++) {
      if (Number.isNaN(r[j])) continue;
      if (r[j] > stillHigh) { end = j; quiet = 0; } else if (++quiet >= o.endQuietMinutes) { ongoing = false; break; }
    }
    // The CUSUM's change-point is early when a mild drift kept it above 0 before the jump (noise a
    // few minutes before a real spike): the spike starts where the run of minutes still high at
    // the alarm begins. Seen on the demo world at some hours, it put t0 before the change that
    // caused the spike, which then could not be a suspect.
    let start = i;
    for (let j = i; j >= cand; j--) {
      if (Number.isNaN(r[j])) continue;
      if (r[j] > stillHigh) start = j;
      else break;
    }
    const inside: number[] = [];
    let peak = start;
    for (let j = start; j <= end; j++) {
      if (Number.isNaN(r[j])) continue;
      inside.push(r[j]);
      if (y[j] > y[peak] || Number.isNaN(y[peak])) peak = j;
    }
    const sustainedRatio = Math.exp(median(inside) - base.level);
    const shape = { start: t0 + start * MIN, sustainedRatio, ...(ongoing ? {} : { end: t0 + end * MIN }) };
    const below = run >= o.minRun ? belowRuleReason(shape) : "";
    if (below && (!dropped || shape.sustainedRatio > dropped.ratio)) dropped = { ratio: shape.sustainedRatio, reason: below };
    if (below === null) {
      const levelMs = Math.exp(base.level + (seas ? seas[cand] : 0));
      spikes.push({
        kind: "spike",
        metric: o.metric,
        start: t0 + start * MIN,
        alarmAt: t0 + i * MIN,
        peak: t0 + peak * MIN,
        peakValue: Math.exp(y[peak]),
        baseline: { level: levelMs, spread: levelMs * base.spread, seasonal: seas != null },
        magnitude: Math.exp(y[peak]) / levelMs,
        sustainedRatio,
        ...(ongoing ? {} : { end: t0 + end * MIN }),
      });
      for (let j = cand; j <= end; j++) masked[j] = 1;
      winHi = -1;
      if (ongoing) break;
      i = end;
    }
    S = 0;
    frozen = null;
  }
  return { spikes, reason: spikes.length ? "" : dropped ? `${dropped.reason} (a wobble, not a spike)` : "no sustained upward change-point in the series" };
}

/** The most pronounced spike (largest peak / baseline) in the series, or why there is none. */
export function detectSpike(series: LatencyPoint[], options?: SpikeOptions): SpikeResult {
  const { spikes, reason } = detectSpikes(series, options);
  if (!spikes.length) return { kind: "none", reason } satisfies NoSpike;
  return spikes.reduce((a, b) => (b.magnitude > a.magnitude ? b : a));
}

/** The most recent spike in the series ("what just happened?"). */
export function detectLatestSpike(series: LatencyPoint[], options?: SpikeOptions): SpikeResult {
  const { spikes, reason } = detectSpikes(series, options);
  if (!spikes.length) return { kind: "none", reason };
  // "Latest" means the latest spike that matters: a minor after-shock (1.3× after a 20× incident)
  // must not replace the incident a responder opens the page for, while a real second spike (2×
  // after 5×) still wins. A later spike counts when its log sustained ratio is at least a quarter
  // of the strongest one's.
  const strongest = Math.max(...spikes.map((s) => Math.log(s.sustainedRatio)));
  const counted = spikes.filter((s) => Math.log(s.sustainedRatio) >= strongest / 4);
  return counted[counted.length - 1];
}

export interface WindowOptions {
  baselineMinutes?: number;
  /** Gap between B and t0 so a slow ramp-up before the detected start does not pollute B. */
  guardMinutes?: number;
  maxIncidentMinutes?: number;
  /** Upper bound for an ongoing spike's window (the caller's "now"). */
  now?: number;
}

/** The baseline window B and incident window I for a spike (what the SQL layer should load). */
export function windowsForSpike(spike: SpikeFound, options: WindowOptions = {}): { baseline: TimeWindow; incident: TimeWindow } {
  const { baselineMinutes = 60, guardMinutes = 5, maxIncidentMinutes = 60, now } = options;
  const bTo = spike.start - guardMinutes * MIN;
  let iTo = spike.end != null ? spike.end + MIN : spike.start + maxIncidentMinutes * MIN;
  iTo = Math.min(iTo, spike.start + maxIncidentMinutes * MIN);
  if (now != null) iTo = Math.min(iTo, Math.floor(now / MIN) * MIN + MIN);
  return { baseline: { from: bTo - baselineMinutes * MIN, to: bTo }, incident: { from: spike.start, to: Math.max(iTo, spike.start + MIN) } };
}

/** Seasonal expectation per minute: median over up to 7 previous days, ±10 minutes. NaN without history. */
function seasonalProfile(y: Float64Array): Float64Array {
  const n = y.length;
  const out = new Float64Array(n).fill(NaN);
  const vals: number[] = [];
  for (let i = DAY_MIN; i < n; i++) {
    vals.length = 0;
    for (let d = 1; d <= 7 && i - d * DAY_MIN + 10 >= 0; d++) {
      const c = i - d * DAY_MIN;
      for (let j = Math.max(0, c - 10); j <= Math.min(n - 1, c + 10); j++) if (!Number.isNaN(y[j])) vals.push(y[j]);
    }
    if (vals.length >= 5) out[i] = median(vals);
  }
  return out;
}
