// What a scenario is: an estate over time, its traffic, the endpoint to investigate and the
// answer a responder should get. The library (./library) builds them; ./runner runs them through
// Touchline's real pipeline.
import type { Estate } from "./estate";
import type { TrafficSpec } from "./traffic";

/** A suspect the answer must name, by the fields it is known by before the run (ids of access changes are made by the sync). */
export interface SuspectMatch {
  kind: "access_change" | "key" | "identity" | "policy" | "oauth_client" | "deploy" | "user_type";
  id?: string;
  label?: string;
  changeKind?: string;
  targetId?: string;
  action?: string;
}

export type Expected =
  | { culprit: SuspectMatch; companions: SuspectMatch[] }
  | { culprit: null };

/** A suspect as the investigation answered it (the fields a match reads). */
export interface AnsweredSuspect {
  kind: string;
  id: string;
  label: string;
  changeKind?: string;
  targetId?: string;
  action?: string;
  share: { point: number; lo: number; hi: number };
  mechanism: string;
  evidence?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  /** One line: what happened, and why the answer is what it is. */
  story: string;
  seed: number;
  /** When the incident starts (whole minute, epoch ms). */
  t0: number;
  /** Traffic and data cover [t0 + minutes[0], t0 + minutes[1]) minutes. */
  minutes: [number, number];
  estate: Estate;
  orgId: string;
  /** Touchline's first Tyk sync; later ones follow every write (or every 5 min without an audit log). */
  installAt: number;
  auditLog: boolean;
  traffic: TrafficSpec;
  /** The endpoint investigated: its API, method and full path template. */
  endpoint: { apiId: string; method: string; path: string };
  /** Run the trace sync against the Lightstep simulator (latency, exemplars, deploys). */
  traces?: boolean;
  /** Accept the endpoint templates Touchline derived from the observed paths, as an admin would on the review screen. */
  acceptDerivedTemplates?: boolean;
  expected: Expected;
  /** Scenario-specific checks on the answer; each string is a failure. */
  checks?: (answer: ScenarioAnswer) => string[];
}

/** What the runner hands to checks: the investigation's JSON, loosely typed (the contract evolves). */
export type ScenarioAnswer = {
  suspects: AnsweredSuspect[];
  notSignificant: AnsweredSuspect[];
  verdict: { verdict: string; summary: string };
  timeline: Record<string, unknown>[];
  [k: string]: unknown;
};

export function matches(s: AnsweredSuspect, m: SuspectMatch): boolean {
  return s.kind === m.kind && (m.id === undefined || s.id === m.id) && (m.label === undefined || s.label === m.label)
    && (m.changeKind === undefined || s.changeKind === m.changeKind) && (m.targetId === undefined || s.targetId === m.targetId)
    && (m.action === undefined || s.action === m.action);
}

export function describe(m: SuspectMatch): string {
  return `${m.kind}${m.changeKind ? `/${m.changeKind}` : ""}${m.action ? ` ${m.action}` : ""} ${m.label ?? m.targetId ?? m.id ?? ""}`.trim();
}

export interface Judgement {
  name: string;
  culpritScenario: boolean;
  culpritFirst: boolean;
  topThree: boolean;
  quiet: boolean;
  checkFailures: string[];
  /** The answer's significant suspects, one line each. */
  answered: string[];
  summary: string | null;
  /** The first suspect's "enabled by" sentence, when it has one. */
  detail: string | null;
  error?: string;
}

export function judge(s: Scenario, answer: ScenarioAnswer | null, error?: string): Judgement {
  const answered = (answer?.suspects ?? []).map((x) => `${x.kind}${x.changeKind ? `/${x.changeKind}` : ""} ${x.label} ${Math.round(x.share.point * 100)}% [${Math.round(x.share.lo * 100)}–${Math.round(x.share.hi * 100)}] ${x.mechanism}`);
  const base = { name: s.name, culpritScenario: s.expected.culprit !== null, answered, summary: answer?.verdict.summary ?? null,
    detail: ((answer?.suspects[0]?.evidence?.enables as { detail?: string } | undefined)?.detail) ?? null, checkFailures: [] as string[], ...(error ? { error } : {}) };
  if (!answer) return { ...base, culpritFirst: false, topThree: false, quiet: false, checkFailures: [error ?? "no answer"] };
  const checkFailures = s.checks?.(answer) ?? [];
  if (s.expected.culprit === null) return { ...base, culpritFirst: false, topThree: false, quiet: answer.suspects.length === 0, checkFailures };
  const top = answer.suspects.slice(0, 3);
  const want = [s.expected.culprit, ...s.expected.companions];
  return {
    ...base, checkFailures,
    culpritFirst: answer.suspects[0] != null && matches(answer.suspects[0], s.expected.culprit),
    topThree: want.every((m) => top.some((x) => matches(x, m))),
    quiet: false,
  };
}

/** "culprit first 7/8 · top three 6/8 · null cases quiet 3/4" */
export function scoreboard(results: Judgement[]): string {
  const culprit = results.filter((r) => r.culpritScenario), nulls = results.filter((r) => !r.culpritScenario);
  const n = (xs: Judgement[], f: (r: Judgement) => boolean) => `${xs.filter(f).length}/${xs.length}`;
  return `culprit first ${n(culprit, (r) => r.culpritFirst)} · top three ${n(culprit, (r) => r.topThree)} · null cases quiet ${n(nulls, (r) => r.quiet)}`;
}
