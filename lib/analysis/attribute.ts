// Attribution: how much of the latency excess Δ = q(I) − q(B) each candidate explains, with
// minute-block bootstrap intervals, p-values, Benjamini–Hochberg control, and a verdict.
//
// Statistical choices beyond the design note, and why:
// - p-values come from the bootstrap's normal approximation (point / bootstrap σ), not the
//   bootstrap's empirical tail: with 200 iterations the smallest empirical p is 1/201, which BH
//   over ~100 candidates could never pass, so a real culprit would be hidden by a large tenant list.
// - Significant needs q ≤ fdr AND the 90% interval above 0 AND a point share ≥ minShare: with
//   enough traffic a heavy caller slightly slower than average is "significant" yet explains 3%
//   of the excess, which is noise to a responder.
// - A group's removal share is split into volume (what reverting its rate to B's removes) and its
//   own latency; whichever is larger names the mechanism.
// - An audited change made after t0 is never a suspect (it cannot cause the start; often it is the
//   mitigation), nor is a deploy the trace backend dated after it. A change dated by first_seen may
//   have happened earlier, so it stays eligible. A change inside t0's minute counts as at t0.
// - A noisy neighbour needs the endpoint's served load to have risen, and its own growth to carry
//   much of that rise: with the load flat the reading is "everyone got slower", and when every
//   caller grew alike each one's rate tracks the total and a regression on any one of them would
//   credit it with the whole slowdown.
// - Every answer is checked for consistency with its own evidence (invariants.ts) before it leaves.
import type { EnabledLink, LatencySplit, PercentileName, Reading, Suspect, Touch, UserTypeInput, Verdict } from "./types";
import type { IndexedTraffic } from "./traffic";
import { standsOut } from "./caller-latency";
import { percentileQ } from "./histogram";
import { benjaminiHochberg, normalSf, quantileSorted } from "./stats";
import { neighboursData, resample } from "./resample";
import { callersSlowed, labelLinks, linkEnabledTraffic } from "./enabled-by";
import type { Candidate, Labels } from "./candidates";
import { changeCandidates, groupCandidates, loadRise, neighbourCandidates, othersExcessFraction, round, volumeShare } from "./candidates";
import { enforceInvariants } from "./invariants";
import { typeCandidates } from "./type-candidates";
import { mostSpecificFirst } from "./specificity";
import { causesBeforeEffects } from "./cause-order";
import { summarise, verdictContext } from "./verdict-text";

export interface AttributeOptions {
  /** Spike start t0. */
  start: number;
  percentile?: PercentileName;
  iterations?: number;
  seed?: number;
  blockMinutes?: number;
  fdr?: number;
  minShare?: number;
  minRequests?: number;
  /** Requests that must remain in I without a candidate for its removal share to be defined. */
  minRemaining?: number;
  /** Candidates whose point share is below this are not resampled (p = 1). */
  bootstrapMinShare?: number;
  maxNeighbourCandidates?: number;
  labels?: Labels;
  /** The endpoint's API (Tyk api_id): a policy change granting access to it counts as a relaxation. */
  apiId?: string;
  /** The endpoint's method and path template: its own rate limit in the API definition counts as a limit. */
  endpoint?: { method: string; path: string };
  /** User types with an anomaly overlapping the incident: tested as suspects (type-candidates.ts). */
  userTypes?: readonly UserTypeInput[];
  /** Served load must rise at least this much (fraction of B's rate) for a noisy neighbour. */
  minLoadRise?: number;
  /** A noisy neighbour's own growth must be at least this fraction of the load's rise. */
  minNeighbourPartOfRise?: number;
}

/** Requests in I a caller group needs to be a suspect (AttributeOptions.minRequests). */
export const MIN_REQUESTS = 5;

const KIND_ORDER = { access_change: 0, deploy: 0, key: 1, identity: 2, oauth_client: 3, policy: 4, user_type: 5 } as const;

interface Tested {
  c: Candidate;
  samples: Float64Array | null;
  point: number;
  mechanism: Suspect["mechanism"];
  without: number | null;
  volumeShare?: number;
  neighbour?: Suspect["evidence"]["noisyNeighbour"];
  victimOf?: string;
}

export function attribute(traffic: IndexedTraffic, changeTouches: Touch[], o: AttributeOptions): Verdict {
  return scoreAttribution(traffic, changeTouches, o)(o.labels);
}

/**
 * Builds the verdict once the callers' labels are known (call it once); `latencySplit` (upstream vs
 * gateway time) sharpens the summary when nothing explains the spike. `unexplained` says so before
 * finishing, so a caller loads the split only then.
 */
export type FinishAttribution = ((labels?: Labels, extra?: { latencySplit?: LatencySplit }) => Verdict) & { unexplained: boolean };

/**
 * attribute() in two steps: every statistic now, and a function that names the callers — the
 * labels and each sentence using them — when their labels arrive. The investigation service loads
 * the labels while this runs. Labels never change a number or the ranking.
 */
export function scoreAttribution(traffic: IndexedTraffic, changeTouches: Touch[], o: Omit<AttributeOptions, "labels">): FinishAttribution {
  const pName = o.percentile ?? "p99";
  const q = percentileQ(pName);
  const iterations = o.iterations ?? 200, seed = o.seed ?? 1;
  const minRequests = o.minRequests ?? MIN_REQUESTS;
  const minRemaining = o.minRemaining ?? 50;
  const minShare = o.minShare ?? 0.1;
  const { B, I } = traffic;
  const stats: Verdict["stats"] = {
    percentile: pName, qBaseline: null, qIncident: null, delta: null, qReweighted: null, slowdownFraction: null,
    requestsBaseline: round(B.total), requestsIncident: round(I.total), rejectedBaseline: round(B.rejected), rejectedIncident: round(I.rejected),
    iterations, seed, consistencyFixes: 0,
  };
  const slowed = callersSlowed(traffic, minRequests);
  const context = verdictContext(traffic, changeTouches, slowed, o.start);
  const empty = (summary: string): FinishAttribution => Object.assign(
    (_labels?: Labels, extra?: { latencySplit?: LatencySplit }) => ({
      verdict: "unexplained" as const, reading: "mixed" as const, summary, suspects: [], notSignificant: [], stats,
      context: extra?.latencySplit ? { ...context, latencySplit: extra.latencySplit } : context,
    }),
    { unexplained: true },
  );
  if (B.total < minRequests || I.total < minRequests) return empty("Not enough requests in the baseline or incident window to attribute the spike.");

  // Named by id until finish() has the labels.
  const links = linkEnabledTraffic(changeTouches, traffic, { apiId: o.apiId, endpoint: o.endpoint, start: o.start });
  const cands = [...changeCandidates(traffic, changeTouches, links), ...groupCandidates(traffic, minRequests), ...typeCandidates(traffic, o.userTypes ?? [], minRequests)];
  const removable = cands.filter((c) => c.entries && c.eligible);
  const pointRun = resample(traffic, removable.map((c) => c.entries!), [], { q, iterations: 0, seed, blockMinutes: 1, minRemaining });
  const qB = pointRun.qB[0], qI = pointRun.qI[0], delta = qI - qB;
  Object.assign(stats, { qBaseline: round(qB), qIncident: round(qI), delta: round(delta), qReweighted: round(pointRun.qRw[0]) });
  // Below +10% the requests do not show the spike the traces did (wrong endpoint mapping, or a
  // spike in spans the gateway never saw): attributing noise would only mislead.
  if (!(delta > 0.1 * qB)) return empty(`The requests' ${pName} did not rise between the baseline and the incident window (${round(qB)} → ${round(qI)} ms); nothing to attribute.`);

  // Resample only what could matter; the rest keeps its point estimate with p = 1.
  const minBoot = o.bootstrapMinShare ?? 0.01;
  const boot = removable.filter((_, i) => pointRun.removal[i][0] > minBoot);
  const rise = loadRise(traffic);
  const nGroups = rise.rose(o.minLoadRise ?? 0.2)
    ? neighbourCandidates(traffic, 1.5, o.maxNeighbourCandidates ?? 6, minRequests, rise.perMin * (o.minNeighbourPartOfRise ?? 0.4))
    : [];
  const nData = neighboursData(traffic, nGroups, q);
  // The slowdown fraction's samples are the evidence of a change that slowed all callers alike.
  const slowsAll = (c: Candidate) => c.link?.reason === "all_callers_slowed" && c.eligible;
  const run = resample(traffic, boot.map((c) => c.entries!), nData, {
    q, iterations, seed, blockMinutes: o.blockMinutes ?? 1, minRemaining, reweightSamples: cands.some(slowsAll),
  });

  const slowdown = Float64Array.from(run.qRw, (v, i) => (v - run.qB[i]) / (run.qI[i] - run.qB[i]));
  stats.slowdownFraction = round(slowdown[0]);
  const reading: Reading = slowdown[0] < 1 / 3 ? "mix" : slowdown[0] > 2 / 3 ? "slowdown" : "mixed";

  const bootIndex = new Map(boot.map((c, i) => [c, i])), removableIndex = new Map(removable.map((c, i) => [c, i]));
  // standsOut's bar counts every caller group that could have been named, not only the few whose
  // share reached it: which groups reach it is itself partly chance in a world where nobody did it.
  const family = cands.filter((c) => c.group).length;
  const tested: Tested[] = cands.map((c) => {
    const bi = bootIndex.get(c) ?? -1;
    const ri = removableIndex.get(c) ?? -1;
    const base: Tested = {
      c, samples: bi >= 0 ? run.removal[bi] : null, point: ri >= 0 && Number.isFinite(pointRun.removal[ri][0]) ? pointRun.removal[ri][0] : 0,
      mechanism: c.kind === "access_change" || c.kind === "deploy" ? "enabled_traffic" : "own_latency",
      without: ri >= 0 ? pointRun.without[ri][0] : null,
    };
    if (slowsAll(c)) {
      return { ...base, samples: slowdown, point: slowdown[0], mechanism: "slowdown_after_change" };
    }
    if (c.group) {
      const vs = volumeShare(traffic, c.group, q, qI, delta);
      base.volumeShare = round(vs);
      if (vs >= base.point / 2 && base.point > 0) base.mechanism = "volume";
      const ni = nGroups.indexOf(c.group);
      if (ni >= 0) {
        const f = othersExcessFraction(traffic, c.group, q, delta);
        const share = run.neighbourShare[ni].map((v) => v * f);
        base.neighbour = { slope: round(run.neighbourSlope[ni][0]), shareOfOthersExcess: round(run.neighbourShare[ni][0]), minutes: nData[ni].y.filter((v) => !Number.isNaN(v)).length };
        if (lowerBound(share) > lowerBound(base.samples) && share[0] > 0) return { ...base, samples: share, point: share[0], mechanism: "noisy_neighbour" };
      }
      if (base.point >= minShare && !standsOut(traffic, c.group, minRequests, family)) return { ...base, point: 0, samples: null };
    }
    return base;
  });

  discountVictims(tested);
  stats.consistencyFixes = enforceInvariants(tested, { qIncident: qI, loadRose: rise.rose(o.minLoadRise ?? 0.2) });
  const pValues = tested.map((t) => (t.c.eligible ? pValue(t.point, t.samples) : 1));
  const qValues = benjaminiHochberg(pValues);
  const fdr = o.fdr ?? 0.05;
  // Judged on the interval as shown (rounded): a lower end that reads 0 is not evidence of a share.
  const significant = tested.map((t, i) => t.c.eligible && qValues[i] <= fdr && round(interval(t.point, t.samples)[0]) > 0 && t.point >= minShare);
  const ctx = { qB, qI, delta, context };
  return Object.assign(
    (labels?: Labels, extra?: { latencySplit?: LatencySplit }) => verdictOf(tested, pValues, qValues, significant, links, labels ?? {}, o, stats, reading, pName, ctx, extra),
    { unexplained: !significant.some(Boolean) },
  );
}

interface VerdictInputs {
  qB: number;
  qI: number;
  delta: number;
  context: Verdict["context"];
}

/** The counterfactual percentile a suspect's share claims, by its mechanism (see SuspectEvidence.p99Without). */
function counterfactual(t: Tested, v: VerdictInputs): { without: number | null; basis: NonNullable<Suspect["evidence"]["counterfactual"]> } {
  if (t.mechanism === "noisy_neighbour") return { without: v.qI - t.point * v.delta, basis: "load_removed" };
  if (t.mechanism === "slowdown_after_change") return { without: v.qI - t.point * v.delta, basis: "slowdown_undone" };
  return { without: t.without != null && Number.isFinite(t.without) ? t.without : null, basis: "requests_removed" };
}

/** The ranked suspects, with every caller named by its label. */
function verdictOf(
  tested: Tested[], pValues: number[], qValues: number[], significant: boolean[], links: Map<string, EnabledLink>, labels: Labels,
  o: Omit<AttributeOptions, "labels">, stats: Verdict["stats"], reading: Reading, pName: PercentileName, v: VerdictInputs,
  extra?: { latencySplit?: LatencySplit },
): Verdict {
  labelLinks(links.values(), labels.key ?? {});
  for (const t of tested) if (t.c.kind !== "access_change" && t.c.kind !== "deploy" && t.c.kind !== "user_type") t.c.label = labels[t.c.kind]?.[t.c.id] ?? t.c.id;
  const enabledBy = new Map<string, Suspect["evidence"]["enabledBy"]>();
  for (const t of tested) {
    if (!t.c.link) continue;
    for (const k of t.c.link.keyHashes) {
      const detail = t.c.link.keys?.find((x) => x.keyHash === k)?.detail;
      enabledBy.set(k, [...(enabledBy.get(k) ?? []), { changeId: t.c.id, label: t.c.label, reason: t.c.link.reason, ...(detail ? { detail } : {}) }]);
    }
  }

  const suspects: Suspect[] = tested.map((t, i) => {
    const [lo, hi] = interval(t.point, t.samples);
    const change = t.c.touch?.change;
    const keyLinks = t.c.kind === "key" ? enabledBy.get(t.c.id) : undefined;
    const cf = counterfactual(t, v);
    return {
      kind: t.c.kind, id: t.c.id, label: t.c.label,
      share: { point: round(t.point), lo: round(lo), hi: round(hi) },
      pValue: pValues[i], qValue: qValues[i],
      significant: significant[i],
      mechanism: t.mechanism,
      evidence: finishEvidence(t, cf, keyLinks),
      ...(change ? { changedAt: change.changedAt, actor: change.actor } : {}),
    };
  });

  // Ties end on the id, so the order never depends on the order rows came from the database.
  const byRank = (a: Suspect, b: Suspect) =>
    b.share.lo - a.share.lo || distance(a, o.start) - distance(b, o.start) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.share.point - a.share.point
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const groups = new Map(tested.filter((t) => t.c.group).map((t) => [`${t.c.kind}:${t.c.id}`, t.c.group!]));
  const sig = causesBeforeEffects(mostSpecificFirst(suspects.filter((s) => s.significant).sort(byRank), groups, suspects));
  const rest = suspects.filter((s) => !s.significant).sort(byRank);
  const context = extra?.latencySplit ? { ...v.context!, latencySplit: extra.latencySplit } : v.context;
  return {
    verdict: sig.length ? "explained" : "unexplained", reading, summary: summarise(sig, rest, reading, pName, v.qB, v.qI, context, o.start), suspects: sig, notSignificant: rest,
    context, stats,
  };
}

/**
 * The candidate's evidence completed with what the bootstrap found, in place (verdictOf runs once
 * per attribution): copied with a spread, as `{ ...evidence, more }`, each of a busy endpoint's
 * thousand candidates cost V8 ~30× a plain property add. Same fields, same order.
 */
function finishEvidence(t: Tested, cf: ReturnType<typeof counterfactual>, keyLinks: Suspect["evidence"]["enabledBy"]): Suspect["evidence"] {
  const e = t.c.evidence as Suspect["evidence"];
  e.p99Without = cf.without != null ? round(cf.without) : null;
  e.counterfactual = cf.basis;
  if (t.volumeShare != null) e.volumeShare = t.volumeShare;
  if (t.neighbour) e.noisyNeighbour = t.neighbour;
  if (keyLinks) e.enabledBy = keyLinks;
  if (t.victimOf) e.victimOfNeighbour = t.victimOf;
  e.bootstrapped = t.samples != null;
  return e;
}

/**
 * When a noisy neighbour is found, groups made of its victims (disjoint from it, slower on their
 * own requests) would otherwise look like own-latency culprits: removing the victims removes the
 * slow requests. Their share is scaled by the part of the others' excess the neighbour does not
 * account for.
 */
function discountVictims(tested: Tested[]): void {
  const neighbours = tested.filter((t) => t.mechanism === "noisy_neighbour" && lowerBound(t.samples) > 0);
  for (const t of tested) {
    if (t.mechanism !== "own_latency" || !t.c.group || !t.samples) continue;
    const g = t.c.group;
    const n = neighbours.find((x) => x.c.group && ![...x.c.group.keys].some((k) => g.keys.has(k)));
    if (!n?.neighbour) continue;
    const keep = 1 - Math.max(0, Math.min(1, n.neighbour.shareOfOthersExcess));
    t.samples = t.samples.map((v) => v * keep);
    t.point *= keep;
    t.victimOf = n.c.id;
  }
}

function distance(s: Suspect, t0: number): number {
  return s.changedAt != null ? Math.abs(t0 - s.changedAt) : Number.POSITIVE_INFINITY;
}

// The interval and the p-value of a candidate read the same sorted resamples, some more than once.
const sortedValid = new WeakMap<Float64Array, Float64Array>();

/** The finite resamples (iteration 0, the point estimate, excluded), ascending. */
function valid(samples: Float64Array): Float64Array {
  let v = sortedValid.get(samples);
  if (!v) {
    let n = 0;
    const out = new Float64Array(samples.length);
    for (let i = 1; i < samples.length; i++) if (Number.isFinite(samples[i])) out[n++] = samples[i];
    sortedValid.set(samples, (v = out.subarray(0, n).sort()));
  }
  return v;
}

function interval(point: number, samples: Float64Array | null): [number, number] {
  if (!samples) return [point, point];
  const v = valid(samples);
  return v.length ? [quantileSorted(v, 0.05), quantileSorted(v, 0.95)] : [point, point];
}

function lowerBound(samples: Float64Array | null): number {
  return samples ? interval(samples[0], samples)[0] : Number.NEGATIVE_INFINITY;
}

/**
 * One-sided test of share > 0 from a normal fitted to the bootstrap's lower tail (see the header for
 * why not the empirical tail). Shares are ratios with Δ* in the denominator, so resamples where Δ*
 * happens to be small throw a long right tail; a plain σ would be inflated by it although the
 * question (could the share be ≤ 0?) only concerns the left side. σ = median − 15.9th percentile.
 */
function pValue(point: number, samples: Float64Array | null): number {
  if (!samples || !(point > 0)) return 1;
  const v = valid(samples);
  if (v.length < 10) return 1;
  const sd = quantileSorted(v, 0.5) - quantileSorted(v, 0.1587);
  return sd > 0 ? normalSf(point / sd) : Number.MIN_VALUE;
}
