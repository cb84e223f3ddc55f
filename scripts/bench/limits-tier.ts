/**
 * The limits phase's world (README "Performance"): the density tiers' catalog (600 keys, 60
 * policies) with one hot endpoint over the Capacity & limits panel's whole 7-day window, its load
 * varied so that the capacity has a knee to find and the recommendation something to propose — a
 * daily cycle (2 req/s at midnight to 8 at noon, ~5 on average: what this machine ingests for a
 * week in a few minutes) plus one 30-minute burst a day ramping up to 60–100 req/s (the density
 * tiers' busiest rate) and back. Latency bends with the load: its median is 40 ms up to KNEE_RPS and
 * grows by 40 ms per 15 req/s past it, so the bursts' tops are far over the default objective.
 * `scale` (< 1 for smoke runs) multiplies every rate, the knee's included, so the shape stays the same.
 * Pure: the per-minute request counts; rows are generated from them in SQL (limitsPumpRows).
 */
import type pg from "pg";
import { DAY, PERIOD_END } from "./dataset";
import { HOT_ENDPOINT, KEY_SKEW, TIER_WORLD, type DensityTraffic } from "./density";
import { finishPumpTable, insertPumpRows, lognormalMsSql, preparePumpTable, tsLit } from "./generate";

export const LIMITS_DAYS = 7;
export const CYCLE_LOW_RPS = 2;
export const CYCLE_HIGH_RPS = 8;
export const BURST_MINUTES = 30;
/** Each day's burst top, req/s. */
export const BURST_PEAKS = [100, 60, 80, 100, 70, 90, 100];
/** Latency starts bending here (req/s). */
export const KNEE_RPS = 40;
/** Keys below this brush their limits: 2 % of their requests rejected (429). */
const HEAVY_KEYS = 10;

/** Start of day d's burst, minutes into the window: a different hour every day (09:20, 11:20, …). */
export const burstStart = (d: number) => d * 1440 + ((9 + 2 * d) % 24) * 60 + 20;

/** Requests in each minute of the 7 days (index 0 = the window's first minute, 00:00 UTC). */
export function limitsMinuteCounts(scale = 1): Int32Array {
  const out = new Int32Array(LIMITS_DAYS * 1440);
  for (let m = 0; m < out.length; m++) {
    const phase = ((m % 1440) / 1440) * 2 * Math.PI;
    out[m] = Math.round(60 * scale * (CYCLE_LOW_RPS + ((CYCLE_HIGH_RPS - CYCLE_LOW_RPS) * (1 - Math.cos(phase))) / 2));
  }
  BURST_PEAKS.forEach((top, d) => {
    const peak = top * scale;
    const start = burstStart(d);
    for (let i = 0; i < BURST_MINUTES; i++) {
      // A triangle: up to the peak in the middle minute and back down.
      const x = (i + 0.5) / BURST_MINUTES;
      const base = out[start + i] / 60;
      out[start + i] = Math.round(60 * (base + (peak - base) * (1 - Math.abs(2 * x - 1))));
    }
  });
  return out;
}

/** The tier as a DensityTraffic (for the density tiers' catalog: limits ample for the busiest rate). */
export function limitsTraffic(scale = 1): DensityTraffic {
  const rows = limitsMinuteCounts(scale).reduce((a, b) => a + b, 0);
  return {
    world: TIER_WORLD, from: PERIOD_END - LIMITS_DAYS * DAY, to: PERIOD_END, hotRate: Math.max(...BURST_PEAKS) * scale,
    backgroundRate: 0, hotRows: rows, backgroundRows: 0, incident: null,
  };
}

/**
 * A generator of the tier's pump rows, in time order: each minute's requests evenly spread over it,
 * callers skewed (KEY_SKEW), lognormal latency (σ 0.5) whose median follows the minute's rate, 1 %
 * errors, 429s for 2 % of the heavy callers' requests. It returns the row count.
 */
export const limitsPumpRows = (scale = 1) => async (c: pg.Client, t: DensityTraffic): Promise<number> => {
  const counts = limitsMinuteCounts(scale);
  await preparePumpTable(c, t.world.keys, t.world.policies);
  await c.query("SET work_mem = '1GB'");
  const median = `(40 * (1 + GREATEST(0, n / 60.0 - ${KNEE_RPS * scale}) / ${15 * scale}))`;
  await insertPumpRows(c, `
    SELECT i, ts, ${HOT_ENDPOINT} AS e, k,
           CASE WHEN status = 429 THEN 1 + floor(3 * bench_r(i, 8))::bigint ELSE ${lognormalMsSql(median, 0.5, "i", 4)} END AS lat, status
    FROM (SELECT m * 10000 + j AS i, ${tsLit(t.from)} + make_interval(secs => m * 60 + (j + 0.5) * 60.0 / n) AS ts, n,
                 floor(${t.world.keys} * power(bench_r(m * 10000 + j, 3), ${KEY_SKEW}))::int AS k
          FROM unnest($1::int[]) WITH ORDINALITY AS x(n, m1), LATERAL (SELECT m1 - 1 AS m) mm, generate_series(0, n - 1) j) r,
         LATERAL (SELECT CASE WHEN k < ${HEAVY_KEYS} AND bench_r(i, 6) < 0.02 THEN 429 WHEN bench_r(i, 7) < 0.01 THEN 500 ELSE 200 END AS status) s`,
  [Array.from(counts)], "g.ts");
  await c.query("RESET work_mem");
  return finishPumpTable(c);
};
