/**
 * Anomalies of one user type on one endpoint in one hour, against that series' own history. Pure.
 *
 * Baseline: once the history spans two weeks, seasonal — the median of the same hour of the week
 * in earlier weeks, with the spread of the last week's residuals from their own slots; before
 * that, the same by hour of the day once there are two days; before that, a robust level — the
 * median and MAD of the hours so far. Three metrics, each with a floor
 * on its noise so a flat history does not make every wiggle an anomaly:
 *   volume     requests per minute, Poisson noise sqrt(λ/minutes) as the least spread; up (2×) or down (to a third)
 *   error_rate 5xx share, binomial noise against the pooled baseline rate; up only
 *   p99        on a log scale (latency is multiplicative), least spread log(1.15); up only
 * An hour is anomalous when its robust z-score passes Z_THRESHOLD and it differs by a meaningful
 * factor (MIN_RATIO), with enough requests to say so.
 */
import { median, medianAndSpread } from "./stats";

export type AnomalyMetric = "volume" | "error_rate" | "p99";
export type BaselineKind = "seasonal" | "daily" | "level";

export interface TypeHourPoint {
  /** Epoch ms of the hour's start. */
  hour: number;
  requests: number;
  errors: number;
  /** Minutes of the hour the figures cover (60 once the hour is over). */
  minutes: number;
  /** p99 of the served requests (ms); null when too few were served to say. */
  p99: number | null;
}

export interface DetectedAnomaly {
  metric: AnomalyMetric;
  value: number;
  baseline: number;
  score: number;
  /** Requests affected times how far off they were: what the page ranks by. */
  impact: number;
  baselineKind: BaselineKind;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
export const Z_THRESHOLD = 4.5;
export const MIN_RATIO: Record<AnomalyMetric, number> = { volume: 2, error_rate: 2, p99: 1.5 };
/** Fewest prior hours with data before anything is judged. */
export const MIN_HISTORY = 6;
/** Fewest served requests for a p99 to be judged (and to count in a baseline). */
export const MIN_SERVED = 20;
const MIN_MINUTES = 15;
const MIN_ERRORS = 5;
const LOG_P99_FLOOR = Math.log(1.15);

export interface Baseline {
  level: number;
  spread: number;
  kind: BaselineKind;
}

/** Hour of the week, 0 = Monday 00:00 UTC. */
export function hourOfWeek(hourMs: number): number {
  return Math.floor((hourMs / HOUR + 72) % 168);
}

const hourOfDay = (hourMs: number) => Math.floor(hourMs / HOUR) % 24;

/**
 * Median of the same slot in earlier periods, with the spread of the last week's residuals from
 * their own slots' earlier medians (null when the slot has fewer than two earlier values).
 */
function seasonal(values: readonly { hour: number; v: number }[], lastWeek: readonly { hour: number; v: number }[], at: number, slotOf: (h: number) => number, kind: BaselineKind): Baseline | null {
  const bySlot = new Map<number, { hour: number; v: number }[]>();
  for (const x of values) {
    const slot = slotOf(x.hour);
    const list = bySlot.get(slot);
    if (list) list.push(x);
    else bySlot.set(slot, [x]);
  }
  const same = (bySlot.get(slotOf(at)) ?? []).map((x) => x.v);
  if (same.length < 2) return null;
  const residuals: number[] = [];
  for (const x of lastWeek) {
    const peers = bySlot.get(slotOf(x.hour))!.filter((y) => y.hour < x.hour).map((y) => y.v);
    if (peers.length) residuals.push(x.v - median(peers));
  }
  const { spread } = residuals.length >= MIN_HISTORY ? medianAndSpread(residuals) : medianAndSpread(same);
  return { level: median(same), spread, kind };
}

/**
 * The series' baseline for `at` from earlier points (values by `valueOf`, null = no value): the
 * hour of the week after two weeks of history, the hour of the day after two days, else the level
 * of the last week.
 */
export function baselineOf(history: readonly TypeHourPoint[], at: number, valueOf: (p: TypeHourPoint) => number | null): Baseline | null {
  const values: { hour: number; v: number }[] = [];
  for (const p of history) {
    if (p.hour >= at || p.hour < at - 4 * WEEK) continue;
    const v = valueOf(p);
    if (v !== null && Number.isFinite(v)) values.push({ hour: p.hour, v });
  }
  if (values.length < MIN_HISTORY) return null;
  values.sort((a, b) => a.hour - b.hour);
  const span = at - values[0].hour;
  const lastWeek = values.filter((x) => x.hour >= at - WEEK);
  const weekly = span >= 2 * WEEK ? seasonal(values, lastWeek, at, hourOfWeek, "seasonal") : null;
  if (weekly) return weekly;
  const daily = span >= 2 * DAY ? seasonal(lastWeek, lastWeek, at, hourOfDay, "daily") : null;
  if (daily) return daily;
  const { level, spread } = medianAndSpread(lastWeek.length >= MIN_HISTORY ? lastWeek.map((x) => x.v) : values.map((x) => x.v));
  return { level, spread, kind: "level" };
}

/**
 * What an hour of a series is judged against: it depends on the series' earlier points and the
 * hour only, so a running hour re-judged at every sync can reuse it until the history changes.
 */
export interface HourBaselines {
  rate: Baseline | null;
  /** The week before the hour, pooled: the error rate's baseline. */
  week: { hours: number; requests: number; errors: number };
  logP99: Baseline | null;
}

/** The baselines of `hour` from `history` (earlier points of the same type and endpoint, any order). */
export function baselinesAt(history: readonly TypeHourPoint[], hour: number): HourBaselines {
  const sorted = [...history].sort((a, b) => a.hour - b.hour);
  const week = { hours: 0, requests: 0, errors: 0 };
  for (const p of sorted) {
    if (p.hour >= hour || p.hour < hour - WEEK) continue;
    week.hours++;
    week.requests += p.requests;
    week.errors += p.errors;
  }
  return {
    rate: baselineOf(sorted, hour, (p) => (p.minutes > 0 ? p.requests / p.minutes : null)),
    week,
    logP99: baselineOf(sorted, hour, (p) => (p.p99 !== null && p.p99 > 0 ? Math.log(p.p99) : null)),
  };
}

/** The anomalies of `current` against `history` (earlier points of the same type and endpoint, any order). */
export function detectAnomalies(history: readonly TypeHourPoint[], current: TypeHourPoint): DetectedAnomaly[] {
  return current.minutes < MIN_MINUTES ? [] : judgeHour(baselinesAt(history, current.hour), current);
}

/** The anomalies of `current` against its hour's baselines (baselinesAt). */
export function judgeHour(b: HourBaselines, current: TypeHourPoint): DetectedAnomaly[] {
  if (current.minutes < MIN_MINUTES) return [];
  const out: DetectedAnomaly[] = [];

  const rate = b.rate;
  if (rate && rate.level > 0) {
    const value = current.requests / current.minutes;
    // A level without seasons cannot tell the night from a drop: it gets a wider floor.
    const spread = Math.max(rate.spread, Math.sqrt(rate.level / current.minutes), (rate.kind === "level" ? 0.3 : 0.1) * rate.level);
    const score = (value - rate.level) / spread;
    const ratio = value / rate.level;
    if (Math.abs(score) >= Z_THRESHOLD && (ratio >= MIN_RATIO.volume || ratio <= 1 / (MIN_RATIO.volume + 1))) {
      out.push({ metric: "volume", value, baseline: rate.level, score, impact: Math.abs(value - rate.level) * current.minutes, baselineKind: rate.kind });
    }
  }

  const { hours, requests: baseRequests, errors: baseErrors } = b.week;
  if (hours >= MIN_HISTORY && baseRequests > 0 && current.requests > 0 && current.errors >= MIN_ERRORS) {
    // A rate of 0 in the baseline still has an uncertainty of about one error in its requests.
    const p0 = Math.max(baseErrors, 1) / baseRequests;
    const value = current.errors / current.requests;
    // The baseline's own rate is an estimate too: its variance adds to the hour's.
    const score = (value - p0) / Math.sqrt(p0 * (1 - p0) * (1 / current.requests + 1 / baseRequests));
    if (score >= Z_THRESHOLD && value >= MIN_RATIO.error_rate * p0) {
      out.push({ metric: "error_rate", value, baseline: p0, score, impact: (value - p0) * current.requests, baselineKind: "level" });
    }
  }

  const p99 = current.p99 !== null && current.p99 > 0 ? b.logP99 : null;
  if (p99 && current.p99 !== null) {
    const value = Math.log(current.p99);
    const score = (value - p99.level) / Math.max(p99.spread, LOG_P99_FLOOR);
    const ratio = Math.exp(value - p99.level);
    if (score >= Z_THRESHOLD && ratio >= MIN_RATIO.p99) {
      out.push({ metric: "p99", value: current.p99, baseline: Math.exp(p99.level), score, impact: (ratio - 1) * current.requests, baselineKind: p99.kind });
    }
  }
  return out;
}
