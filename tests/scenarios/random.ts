// Seeded randomness for the scenario library (its own, not the demo world's): every scenario is a
// pure function of its seed, so a failing scenario replays exactly.
import { createHash } from "node:crypto";

export type Rng = () => number;

/** A counter hashed with splitmix32's mixer: a different generator from the demo world's on purpose. */
export function seeded(seed: number): Rng {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return (t >>> 0) / 4294967296;
  };
}

/** A log-normal draw with the given median and σ of the log. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  const u = Math.max(1e-12, rng()), v = rng();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** Poisson draw (Knuth for small means, normal approximation above 50). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(Math.max(1e-12, rng()))) * Math.cos(2 * Math.PI * rng())));
  const limit = Math.exp(-mean);
  let k = 0, p = 1;
  do { k++; p *= rng(); } while (p > limit);
  return k - 1;
}

export function hexOf(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** `n` hex digits drawn from the generator (trace and span ids). */
export function randomHex(rng: Rng, n: number): string {
  let out = "";
  while (out.length < n) out += Math.floor(rng() * 0x100000000).toString(16).padStart(8, "0");
  return out.slice(0, n);
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
