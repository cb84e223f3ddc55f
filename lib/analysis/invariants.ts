// What every answer must agree with its own evidence on (issue "The answer on real gateways", item 3):
//   1. a share is never positive when the endpoint's percentile without the suspect is as high as
//      with it (p99Without ≥ p99With): removing what the suspect stands for must lower it;
//   2. a noisy neighbour needs the endpoint's served load to have risen: with the load flat, the
//      reading is "everyone got slower" and no caller's volume can be the cause.
// The engine checks its candidates before ranking them (a contradicted share is set to 0 and
// counted in stats.consistencyFixes); answerViolations checks a finished answer (property tests).
import type { Mechanism, Verdict } from "./types";

interface Claim {
  point: number;
  mechanism: Mechanism;
  /** The percentile with the suspect's requests removed (removal-based mechanisms). */
  without: number | null;
  samples: Float64Array | null;
}

const REMOVAL: ReadonlySet<Mechanism> = new Set(["own_latency", "volume", "enabled_traffic"]);

/** Zeroes the claims their own evidence contradicts; returns how many there were. */
export function enforceInvariants(claims: Claim[], o: { qIncident: number; loadRose: boolean }): number {
  let fixed = 0;
  for (const c of claims) {
    if (!(c.point > 0)) continue;
    const removalContradicts = REMOVAL.has(c.mechanism) && !(c.without != null && Number.isFinite(c.without) && c.without < o.qIncident);
    const neighbourWithoutLoad = c.mechanism === "noisy_neighbour" && !o.loadRose;
    if (removalContradicts || neighbourWithoutLoad) {
      c.point = 0;
      c.samples = null;
      fixed++;
    }
  }
  return fixed;
}

/** The invariants a finished answer breaks, one sentence each (empty when it is sound). */
export function answerViolations(v: Verdict, minLoadRise = 0.2): string[] {
  const out: string[] = [];
  const qI = v.stats.qIncident;
  const load = v.context?.load;
  // The context's rates are rounded to 0.01/min: a rise right at the threshold may read a hair below it.
  const loadRose = load != null && load.ratePerMinAfter + 0.01 >= (1 + minLoadRise) * load.ratePerMinBefore;
  for (const s of [...v.suspects, ...v.notSignificant]) {
    if (s.share.point > 0 && !(s.evidence.p99Without != null && qI != null && s.evidence.p99Without < qI)) {
      out.push(`${s.kind} ${s.id}: share ${s.share.point} with p99Without ${s.evidence.p99Without} ≥ p99With ${qI}`);
    }
    if (s.significant && !(s.share.point > 0 && s.share.lo > 0)) out.push(`${s.kind} ${s.id}: significant with share ${JSON.stringify(s.share)}`);
    if (s.mechanism === "noisy_neighbour" && s.share.point > 0 && !loadRose) {
      out.push(`${s.kind} ${s.id}: noisy neighbour while the load went ${load?.ratePerMinBefore} → ${load?.ratePerMinAfter}/min`);
    }
  }
  for (let i = 1; i < v.suspects.length; i++) {
    const a = v.suspects[i - 1], b = v.suspects[i];
    // Ranked by the interval's lower end, except members moved before the group they carry (specificity.ts)
    // and a change moved before the key it enabled (cause-order.ts).
    const causeOfB = (a.kind === "access_change" || a.kind === "deploy") && b.kind === "key" && !!a.evidence.enables?.keyHashes.includes(b.id);
    if (b.share.lo > a.share.lo + 1e-9 && !a.evidence.within && !causeOfB) out.push(`rank ${i + 1} (${b.id}) has a higher lower bound than rank ${i} (${a.id})`);
  }
  return out;
}
