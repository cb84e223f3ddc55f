// Seeded generators of per-minute latency series for the spike tests and the benchmark.
import type { LatencyPoint } from "../types";
import { mulberry32 } from "../stats";

export const MINUTE = 60_000;
export const T0 = Date.UTC(2026, 10, 20, 0, 0);

export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12), v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface SeriesSpec {
  minutes: number;
  start?: number;
  levelMs?: number;
  /** Log-normal noise σ of the per-minute p99. */
  noise?: number;
  spike?: { atMinute: number; ratio: number; minutes: number; rampMinutes?: number };
  /** Multiplies the level by f(minute of day). */
  daily?: (minuteOfDay: number) => number;
  /** Fraction of minutes that have data. */
  keep?: number;
  /** Probability that a minute is a lone wild outlier (×4). */
  outliers?: number;
  seed?: number;
}

export function makeSeries(spec: SeriesSpec): LatencyPoint[] {
  const rand = mulberry32(spec.seed ?? 1);
  const { minutes, start = T0, levelMs = 120, noise = 0.1, keep = 1, outliers = 0 } = spec;
  const out: LatencyPoint[] = [];
  for (let m = 0; m < minutes; m++) {
    const present = rand() < keep;
    let level = levelMs * (spec.daily ? spec.daily(m % 1440) : 1);
    const s = spec.spike;
    if (s && m >= s.atMinute && m < s.atMinute + s.minutes) {
      const ramp = s.rampMinutes ? Math.min(1, (m - s.atMinute + 1) / s.rampMinutes) : 1;
      level *= 1 + (s.ratio - 1) * ramp;
    }
    let p99 = level * Math.exp(noise * gaussian(rand));
    if (rand() < outliers) p99 *= 4;
    if (!present) continue;
    out.push({ ts: start + m * MINUTE, p50: p99 / 4, p95: p99 / 1.5, p99, count: 200, errors: 0 });
  }
  return out;
}
