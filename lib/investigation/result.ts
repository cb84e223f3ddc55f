// The investigation's JSON contract and the pure functions that shape the engine's output into it.
import {
  byVolume, topShifts, type AccessChange, type IndexedTraffic, type EnabledLink, type GroupKind, type LatencyPoint, type Mechanism, type Rotation, type ShiftCounts,
  type SpikeResult, type Suspect, type SuspectEvidence, type SuspectKind, type Touch, type TrafficShift, type TypeAnomaly, type Verdict, type VerdictContext,
} from "@/lib/analysis";
import type { CallerContext, ExemplarRef, IdentityInfo } from "./load-context";
import type { SeriesSource } from "./load-series";

export interface EndpointJson {
  id: string;
  apiId: string;
  apiName: string;
  method: string;
  path: string;
  operation: string | null;
}

export interface SuspectJson {
  rank: number;
  kind: SuspectKind;
  id: string;
  label: string;
  /** Access changes only: what was changed (policy id, key hash, API id, OAuth client id), for links. */
  changeKind?: AccessChange["kind"];
  targetId?: string;
  action?: string;
  identity: IdentityInfo | null;
  changedAt: string | null;
  actor: string | null;
  timeSource: AccessChange["timeSource"] | null;
  share: { point: number; lo: number; hi: number };
  qValue: number;
  significant: boolean;
  mechanism: Mechanism;
  evidence: {
    /** Served requests in the baseline and incident windows. */
    requestsBefore: number;
    requestsAfter: number;
    /** Requests Tyk rejected itself (429/403): never served, not load. Absent in incidents frozen earlier. */
    rejectedBefore?: number;
    rejectedAfter?: number;
    p99Before: number | null;
    p99After: number | null;
    /** The endpoint's percentile over the incident window with everyone's requests. */
    p99With: number | null;
    /** The same without the suspect, by `counterfactual` (see README "How to read an answer"). */
    p99Without: number | null;
    counterfactual?: SuspectEvidence["counterfactual"];
    /** Keys this key was rotated from: their requests are counted as this key's. */
    rotatedFrom?: { keyHash: string; label: string; at: string; source: Rotation["source"] }[];
    /** The broad group (policy, identity, OAuth client) this suspect carries the share of. */
    within?: SuspectEvidence["within"];
    diff?: AccessChange["diff"];
    exemplarTraceIds: string[];
    /**
     * The same traces, in the same order, with a span id to open each in the trace backend's UI.
     * Always filled by investigateEndpoint; optional because incidents frozen earlier lack it.
     */
    exemplars?: ExemplarRef[];
    enabledBy?: NonNullable<Suspect["evidence"]["enabledBy"]>;
    /** A user type suspect: the anomaly that made it a candidate, and its rates (what "sent N× more" reads). */
    anomaly?: Omit<TypeAnomaly, "hour"> & { hour: string };
    ratePerMinBefore?: number;
    ratePerMinAfter?: number;
    enables?: EnabledLink;
    afterSpikeStart?: boolean;
  };
}

export type TimelineEntry =
  | { at: string; type: "access_change"; id: string; kind: AccessChange["kind"]; action: string; label: string; actor: string | null; timeSource: AccessChange["timeSource"]; afterSpikeStart: boolean }
  | { at: string; type: "deploy"; id: string; service: string; version: unknown; previousVersion: unknown; label: string; afterSpikeStart: boolean }
  | { at: string; type: "key_rotation"; from: string; to: string; fromLabel: string; toLabel: string; source: Rotation["source"]; changeId: string | null }
  | { at: string; type: "spike_start"; baseline: number }
  | { at: string; type: "spike_peak"; value: number; magnitude: number }
  | { at: string; type: "traffic_shift"; kind: GroupKind; id: string; label: string; ratePerMinBefore: number; ratePerMinAfter: number; new: boolean };

export interface CallerJson {
  kind: "identity" | "key";
  id: string;
  label: string;
  identity: IdentityInfo | null;
  requestsBefore: number;
  requests: number;
  /** Requests Tyk rejected (429/403) in the baseline and incident windows. */
  rejectedBefore: number;
  rejected: number;
  p99Before: number | null;
  p99: number | null;
  /** Fraction of the incident window's served requests. */
  share: number;
}

/** VerdictContext with its times as ISO strings (see README "Investigation API"). */
export type VerdictContextJson = Omit<VerdictContext, "deploys"> & { deploys: (Omit<VerdictContext["deploys"][number], "at"> & { at: string })[] };

export interface InvestigationJson {
  endpoint: EndpointJson;
  window: { from: string; to: string };
  /** Baseline B and incident I the attribution compared; null without a spike. */
  analysisWindows: { baseline: { from: string; to: string }; incident: { from: string; to: string } } | null;
  seriesSource: SeriesSource;
  series: LatencyPoint[];
  spike: SpikeResult;
  /** `context`: what else moved at the spike's start (absent without a spike, and in incidents frozen earlier). */
  verdict: { verdict: Verdict["verdict"] | "no_spike"; reading: Verdict["reading"] | null; summary: string; context?: VerdictContextJson | null };
  stats: Verdict["stats"] | null;
  suspects: SuspectJson[];
  notSignificant: SuspectJson[];
  timeline: TimelineEntry[];
  callers: CallerJson[];
  /** Set when only one user type's callers were counted (series, spike, suspects); absent otherwise and in incidents frozen earlier. */
  userType?: { id: string; label: string };
  computedInMs: number;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The identity behind a suspect: itself, its key's or OAuth client's owner, or a key change's key. */
export function identityOf(s: { kind: SuspectKind; id: string }, ctx: CallerContext, change?: AccessChange): IdentityInfo | null {
  const byId = (id: string | null | undefined) => (id ? (ctx.identities[id] ?? null) : null);
  switch (s.kind) {
    case "identity": return byId(s.id);
    case "key": return byId(ctx.keyIdentity[s.id]);
    case "oauth_client": return byId(ctx.clientIdentity[s.id]);
    case "access_change":
      if (change?.kind === "key") return byId(ctx.keyIdentity[change.targetId]);
      if (change?.kind === "oauth_client") return byId(ctx.clientIdentity[change.targetId]);
      return null;
    default: return null;
  }
}

export function contextJson(c: VerdictContext | null): VerdictContextJson | null {
  return c ? { ...c, deploys: c.deploys.map((d) => ({ ...d, at: iso(d.at) })) } : null;
}

export function suspectJson(
  s: Suspect, rank: number, ctx: CallerContext, changes: Map<string, AccessChange>, p99With: number | null, exemplars: ExemplarRef[],
): SuspectJson {
  const change = s.kind === "access_change" || s.kind === "deploy" ? changes.get(s.id) : undefined;
  const e = s.evidence;
  return {
    rank, kind: s.kind, id: s.id, label: s.label,
    ...(change ? { changeKind: change.kind, targetId: change.targetId, action: change.action } : {}),
    identity: identityOf(s, ctx, change),
    changedAt: s.changedAt != null ? iso(s.changedAt) : null,
    actor: s.actor ?? null,
    timeSource: change?.timeSource ?? null,
    share: s.share, qValue: s.qValue, significant: s.significant, mechanism: s.mechanism,
    evidence: {
      requestsBefore: e.requestsBefore, requestsAfter: e.requestsAfter, rejectedBefore: e.rejectedBefore, rejectedAfter: e.rejectedAfter,
      p99Before: e.p99Before, p99After: e.p99After, p99With, p99Without: e.p99Without,
      ...(e.counterfactual ? { counterfactual: e.counterfactual } : {}),
      ...(e.rotatedFrom ? { rotatedFrom: e.rotatedFrom.map((r) => ({ keyHash: r.keyHash, label: ctx.labels.key[r.keyHash] ?? r.keyHash, at: iso(r.at), source: r.source })) } : {}),
      ...(e.within ? { within: e.within } : {}),
      ...(e.diff ? { diff: e.diff } : {}),
      exemplarTraceIds: exemplars.map((e) => e.traceId),
      exemplars,
      ...(e.enabledBy ? { enabledBy: e.enabledBy } : {}),
      ...(e.enables ? { enables: e.enables } : {}),
      ...(e.afterSpikeStart != null ? { afterSpikeStart: e.afterSpikeStart } : {}),
      ...(e.anomaly ? { anomaly: { ...e.anomaly, hour: iso(e.anomaly.hour) }, ratePerMinBefore: e.ratePerMinBefore, ratePerMinAfter: e.ratePerMinAfter } : {}),
    },
  };
}

/** How many callers and traffic shifts an answer lists. */
export const CALLERS_SHOWN = 50;
export const SHIFTS_SHOWN = 10;

const growth = (s: ShiftCounts) => s.ratePerMinAfter - s.ratePerMinBefore;

/** Key and identity groups whose rate at least doubled (to ≥ 1/min), largest growth first (then by volume). */
export function grownShifts(traffic: IndexedTraffic): TrafficShift[] {
  return memo(grown, traffic, () => topShifts(
    traffic,
    (s) => (s.kind === "key" || s.kind === "identity") && s.ratePerMinAfter >= 1 && s.ratePerMinAfter >= 2 * s.ratePerMinBefore,
    (a, b) => growth(b) - growth(a) || byVolume(a, b),
    SHIFTS_SHOWN,
  ));
}

/**
 * Callers by identity — keys whose requests carry none listed on their own, so every request is
 * in one row — busiest in the incident first.
 */
export function shownCallers(traffic: IndexedTraffic): TrafficShift[] {
  const withIdentity = traffic.keysWithIdentity;
  return memo(shown, traffic, () => topShifts(traffic, (s) => s.kind === "identity" || (s.kind === "key" && !withIdentity.has(s.id)), byVolume, CALLERS_SHOWN));
}

// Both lists are read twice per investigation (to choose what to label, then for the answer).
const grown = new WeakMap<IndexedTraffic, TrafficShift[]>(), shown = new WeakMap<IndexedTraffic, TrafficShift[]>();
function memo(cache: WeakMap<IndexedTraffic, TrafficShift[]>, traffic: IndexedTraffic, make: () => TrafficShift[]): TrafficShift[] {
  let out = cache.get(traffic);
  if (!out) cache.set(traffic, (out = make()));
  return out;
}

/** Changes, deploys, key rotations, the spike's start and peak, and callers whose volume at least doubled (or who are new). */
export function timelineOf(
  spike: SpikeResult, touches: Touch[], traffic: IndexedTraffic, incidentFrom: number | null, ctx: CallerContext, rotations: Rotation[] = [],
): TimelineEntry[] {
  const out: TimelineEntry[] = touches.map(({ change: c, afterSpikeStart }): TimelineEntry => (c.kind === "deploy"
    ? { at: iso(c.changedAt), type: "deploy", id: c.id, service: c.targetId, version: c.diff[0]?.after ?? null, previousVersion: c.diff[0]?.before ?? null, label: c.label, afterSpikeStart }
    : { at: iso(c.changedAt), type: "access_change", id: c.id, kind: c.kind, action: c.action, label: c.label, actor: c.actor, timeSource: c.timeSource, afterSpikeStart }));
  for (const r of rotations) {
    out.push({ at: iso(r.at), type: "key_rotation", from: r.from, to: r.to, fromLabel: ctx.labels.key[r.from] ?? r.from, toLabel: ctx.labels.key[r.to] ?? r.to, source: r.source, changeId: r.changeId ?? null });
  }
  if (spike.kind === "spike") {
    out.push({ at: iso(spike.start), type: "spike_start", baseline: round(spike.baseline.level) });
    out.push({ at: iso(spike.peak), type: "spike_peak", value: round(spike.peakValue), magnitude: round(spike.magnitude) });
  }
  for (const s of grownShifts(traffic)) {
    out.push({
      at: iso(s.firstSeenAfter ?? incidentFrom ?? 0), type: "traffic_shift", kind: s.kind, id: s.id, label: ctx.labels[s.kind][s.id] ?? s.id,
      ratePerMinBefore: s.ratePerMinBefore, ratePerMinAfter: s.ratePerMinAfter, new: s.new,
    });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The callers table: {@link shownCallers} with labels, identities and shares. */
export function callersOf(traffic: IndexedTraffic, ctx: CallerContext, requestsIncident: number): CallerJson[] {
  return shownCallers(traffic).map((s): CallerJson => ({
    kind: s.kind as "identity" | "key",
    id: s.id,
    label: ctx.labels[s.kind][s.id] ?? s.id,
    identity: s.kind === "identity" ? (ctx.identities[s.id] ?? null) : null,
    requestsBefore: s.requestsBefore,
    requests: s.requestsAfter,
    rejectedBefore: s.rejectedBefore,
    rejected: s.rejectedAfter,
    p99Before: s.p99Before,
    p99: s.p99After,
    share: requestsIncident > 0 ? round(s.requestsAfter / requestsIncident, 4) : 0,
  }));
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
