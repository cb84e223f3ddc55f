import type { InvestigationJson } from "../result";

export interface AnswerComparison {
  /** The same suspects (kind and id, the significant ones the answer names) in the same order. */
  sameSuspects: boolean;
  /** Largest |share.point difference| over the suspects both list (significant or not), in percentage points. */
  maxShareDeviationPp: number;
  /** The suspect that deviation is on ("kind id"), or null without common suspects. */
  maxAt: string | null;
  /** Each answer's suspects, for a message when they differ. */
  reference: string[];
  candidate: string[];
}

const named = (r: InvestigationJson) => r.suspects.map((s) => `${s.kind} ${s.id}`);

/**
 * How far `candidate` (the investigation over the weighted sample) is from `reference` (the exact
 * one over every request): validation of the sample written at ingest (issue 18's 2-point bound).
 */
export function compareAnswers(reference: InvestigationJson, candidate: InvestigationJson): AnswerComparison {
  const a = named(reference), b = named(candidate);
  const shareOf = new Map([...candidate.suspects, ...candidate.notSignificant].map((s) => [`${s.kind} ${s.id}`, s.share.point]));
  let max = 0, at: string | null = null;
  for (const s of [...reference.suspects, ...reference.notSignificant]) {
    const other = shareOf.get(`${s.kind} ${s.id}`);
    if (other === undefined) continue;
    const d = Math.abs(other - s.share.point) * 100;
    if (at === null || d > max) [max, at] = [d, `${s.kind} ${s.id}`];
  }
  return {
    sameSuspects: a.join() === b.join(),
    maxShareDeviationPp: max, maxAt: at, reference: a, candidate: b,
  };
}
