// Synthetic minutes for the capacity tests: a rate per minute and a p99 that is a known function of it.
import { latencyBin } from "@/lib/analysis/histogram";
import { mulberry32 } from "@/lib/analysis/stats";
import type { MinuteLoad } from "../capacity";

export interface SyntheticCurve {
  minutes: number;
  minRps: number;
  maxRps: number;
  /** The p99 (ms) of a minute served at `rps`. */
  p99At: (rps: number) => number;
  seed?: number;
  /** Each minute's tail latency multiplied by a random factor in [1 − noise, 1 + noise]. */
  noise?: number;
  /** Multiplies every count (requests and histogram entries). */
  countScale?: number;
  /** Shifts every latency by this many 4 % bins (latency × 1.04^k). */
  binShift?: number;
}

/** Minutes at uniformly random rates, each with 97 % of its requests at a third of the curve's p99 and 3 % at it. */
export function syntheticLoad(c: SyntheticCurve): MinuteLoad {
  const rand = mulberry32(c.seed ?? 7);
  const served = new Float64Array(c.minutes);
  const start = new Int32Array(c.minutes + 1);
  const bin: number[] = [], cnt: number[] = [];
  const scale = c.countScale ?? 1, shift = c.binShift ?? 0;
  for (let m = 0; m < c.minutes; m++) {
    const rps = c.minRps + rand() * (c.maxRps - c.minRps);
    const n = Math.max(1, Math.round(rps * 60));
    const tail = c.p99At(rps) * (1 + (c.noise ?? 0) * (2 * rand() - 1));
    const slow = Math.max(1, Math.round(n * 0.03));
    served[m] = n * scale;
    bin.push(latencyBin(tail / 3) + shift, latencyBin(tail) + shift);
    cnt.push((n - slow) * scale, slow * scale);
    start[m + 1] = bin.length;
  }
  return { served, start, bin: Int32Array.from(bin), cnt: Float64Array.from(cnt) };
}

/** Flat at `base` ms up to `knee` req/s, then rising by `slope` × base per knee's worth of extra rate. */
export const hockeyStick = (base: number, knee: number, slope: number) => (rps: number) =>
  rps <= knee ? base : base * (1 + (slope * (rps - knee)) / knee);
