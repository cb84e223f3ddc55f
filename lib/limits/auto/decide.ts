// Automatic mode's decisions, pure: whether to move a policy's limit toward the recommendation (by at
// most one step, inside the admin's bounds, never within the cooldown of the policy's last change),
// and whether an automatic change M minutes old earned its keep or is rolled back. The evaluator
// (evaluate.ts) loads the inputs and acts on the answers; everything it does is explained by `reason`.
import type { Limit } from "../recommend";

const MIN = 60_000;

export interface AutoSettings {
  enabled: boolean;
  /** Bounds on the automatic limit, in requests per minute (converted to each policy's window). */
  minPerMin: number;
  maxPerMin: number;
  /** Largest relative move of one change, (0, 1]. */
  maxStep: number;
  cooldownMinutes: number;
  intervalMinutes: number;
  rollbackMinutes: number;
}

export interface StepInput {
  now: number;
  settings: AutoSettings;
  killSwitch: boolean;
  /** The policy's limit now (null: unlimited) and the recommendation's (its window is the one written). */
  current: Limit | null;
  recommended: Limit;
  /** When the last change Touchline made on this policy (by hand or automatically) was written. */
  lastChangeAt: number | null;
}

export type StepDecision =
  | { kind: "none"; reason: string }
  | { kind: "change"; to: Limit; reason: string };

export interface ChangeEvidence {
  objectiveMs: number | null;
  p99BeforeMs: number | null;
  p99AfterMs: number | null;
  /** Requests answered 429 in minutes where their caller was within its normal peak (p95 per minute, 7 days). */
  normalRejectedBefore: number;
  normalRejectedAfter: number;
  /** The callers behind normalRejectedAfter, busiest first. */
  normalCallers: { key: string; label: string; rejected: number; peakPerMin: number }[];
  /** The requests are ingested up to here (epoch ms); the window after the change must be covered. */
  dataThrough: number | null;
}

export interface JudgeInput {
  now: number;
  settings: AutoSettings;
  killSwitch: boolean;
  changeAt: number;
  evidence: ChangeEvidence;
}

export type Judgement =
  | { kind: "wait"; reason: string }
  | { kind: "keep"; reason: string }
  | { kind: "rollback"; reason: string };

export const perMinute = (l: Limit) => (l.rate * 60) / l.per;
const fmt = (n: number) => (n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10));
const ms = (n: number | null) => (n === null ? "no data" : `${Math.round(n)} ms`);
const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

/** Whether, and to what, to move the policy's limit now. */
export function decideStep(x: StepInput): StepDecision {
  const s = x.settings;
  if (x.killSwitch) return { kind: "none", reason: "the kill switch is on: nothing automatic writes to Tyk" };
  if (!s.enabled) return { kind: "none", reason: "automatic mode is off for this endpoint" };
  if (x.current === null) return { kind: "none", reason: "the policy has no rate limit to step from; set one by hand first" };
  if (x.lastChangeAt !== null && x.now < x.lastChangeAt + s.cooldownMinutes * MIN) {
    return { kind: "none", reason: `cooling down: the policy's last limit change was at ${hhmm(x.lastChangeAt)}, within the ${s.cooldownMinutes}-minute cooldown (until ${hhmm(x.lastChangeAt + s.cooldownMinutes * MIN)})` };
  }
  const cur = perMinute(x.current);
  const rec = perMinute(x.recommended);
  const target = Math.min(s.maxPerMin, Math.max(s.minPerMin, rec));
  const bounded = target !== rec ? ` (the recommendation ${fmt(rec)}/min held to the bounds ${fmt(s.minPerMin)}–${fmt(s.maxPerMin)}/min)` : "";
  // The window written is the recommendation's (at least a minute: the evidence is per-minute counts).
  const per = x.recommended.per;
  const down = target < cur;
  const next = down ? Math.max(target, cur * (1 - s.maxStep)) : Math.min(target, cur * (1 + s.maxStep));
  // Rounding toward the current limit keeps the move within the step.
  const rate = Math.max(1, down ? Math.ceil((next * per) / 60) : Math.floor((next * per) / 60));
  const to = { rate, per };
  if (Math.abs(perMinute(to) - cur) < 1e-9 || (to.rate === x.current.rate && to.per === x.current.per)) {
    return { kind: "none", reason: `at the target: ${x.current.rate} per ${x.current.per} s (${fmt(cur)}/min) is where the recommendation${bounded} puts it` };
  }
  const capped = next !== target ? `, capped at a ${Math.round(s.maxStep * 100)}% step` : "";
  return {
    kind: "change", to,
    reason: `${down ? "lower" : "raise"} ${x.current.rate} per ${x.current.per} s → ${rate} per ${per} s (${fmt(cur)} → ${fmt(perMinute(to))}/min) toward ${fmt(target)}/min${bounded}${capped}`,
  };
}

/**
 * An automatic change's self-rollback check, once it is `rollbackMinutes` old and the requests of
 * those minutes are ingested. It is rolled back when callers within their normal peak got more 429s
 * than in as many minutes before it, or when p99 did not improve: it stayed over the objective
 * (or, without one, was not lower), or it rose past the objective. A change made while p99 was
 * within the objective and stayed within it had nothing to improve and is kept.
 */
export function judgeChange(x: JudgeInput): Judgement {
  const s = x.settings, e = x.evidence;
  const due = x.changeAt + s.rollbackMinutes * MIN;
  if (x.now < due) return { kind: "wait", reason: `judged at ${hhmm(due)}, ${s.rollbackMinutes} minutes after the change` };
  if (e.dataThrough === null || e.dataThrough < due) {
    return { kind: "wait", reason: `waiting for the requests up to ${hhmm(due)} to be ingested (through ${e.dataThrough === null ? "nothing yet" : hhmm(e.dataThrough)})` };
  }
  if (x.killSwitch) return { kind: "wait", reason: "the kill switch is on: the check waits, nothing automatic writes to Tyk" };
  const p99 = `p99 ${ms(e.p99BeforeMs)} before → ${ms(e.p99AfterMs)} after`;
  if (e.normalRejectedAfter > e.normalRejectedBefore) {
    const who = e.normalCallers.slice(0, 3).map((c) => `${c.label} ${c.rejected}`).join(", ");
    return { kind: "rollback", reason: `callers within their normal peak were rejected: ${e.normalRejectedBefore} → ${e.normalRejectedAfter} requests answered 429${who ? ` (${who})` : ""}; ${p99}` };
  }
  if (e.p99BeforeMs !== null && e.p99AfterMs !== null) {
    const o = e.objectiveMs;
    const slowBefore = o === null || e.p99BeforeMs > o;
    if (slowBefore && e.p99AfterMs >= e.p99BeforeMs) return { kind: "rollback", reason: `p99 did not improve: ${p99}${o === null ? "" : ` (objective ${ms(o)})`}` };
    if (o !== null && e.p99AfterMs > o && e.p99AfterMs > e.p99BeforeMs) return { kind: "rollback", reason: `p99 rose past the objective ${ms(o)}: ${p99}` };
  }
  return { kind: "keep", reason: `kept: ${p99}${e.objectiveMs === null ? "" : ` (objective ${ms(e.objectiveMs)})`}, no more 429s for callers within their normal peak (${e.normalRejectedBefore} → ${e.normalRejectedAfter})` };
}
