// The investigation service: SQL aggregates in, the attribution engine in the middle, the JSON
// contract out (see README "Investigation API").
import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  MIN_REQUESTS, indexTraffic, keyLineage, planInvestigation, scoreInvestigation, withKeyPolicies, withLineage, type CellCaller, type GroupKind, type InvestigationOptions,
  type Suspect,
} from "@/lib/analysis";
import { DEFAULT_LOOKBACK_MINUTES } from "./params";
import { findEndpoint } from "./endpoint";
import { MINUTE, floorMinute } from "./sql";
import {
  changesReaching, exemplarsOf, latestDataAt, loadCallerContext, loadChangesAround, loadDeploysAround, loadExemplars, loadKeyPoliciesAsOf, loadSeries,
  loadStoredExemplars, loadTrafficTable, type ChangeAround, type ExemplarRef, type SeenCallers,
} from "./load";
import { loadLatencySplit } from "./load-latency-split";
import { idsToLabel, suspectGroupIds } from "./label-ids";
import { evenSplit } from "./load-traffic";
import { loadTypeScope, loadTypeSeries } from "./user-type";
import { loadTypeSuspects } from "./type-suspects";
import { callersOf, contextJson, iso, suspectJson, timelineOf, type InvestigationJson, type SuspectJson } from "./result";

export interface InvestigateEndpointInput {
  endpointId: string;
  /** Epoch ms; both or neither. Without them the latest spike of the last 24 h is analysed. */
  from?: number;
  to?: number;
  lookbackMinutes?: number;
  /** "Now" for the default window (tests, replays); the newest data is used when that is older. */
  now?: number;
  /** Engine options (iterations, seed...) for tests and benchmarks. */
  options?: InvestigationOptions;
  /**
   * Read every request of the analysis windows instead of the weighted sample written at ingest:
   * the reference the sample is validated against (tests, benchmarks); costs what requests do.
   */
  exact?: boolean;
  /** Only this user type's callers count (lib/anomalies/user-types.ts); an unknown type → ApiError bad_request on `userType`. */
  userType?: string;
  /** Called with each stage's duration (benchmarks). */
  onStage?: (stage: "series" | "traffic" | "context" | "engine" | "labels" | "exemplars", ms: number) => void;
}

const DAY = 24 * 60 * MINUTE;
/** How long after a spike's end the default window keeps going (its recovery). */
const RECOVERY_SHOWN = 30 * MINUTE;

/** Trailing history loaded before an explicit window so a spike at its very start still has a baseline. */
const HISTORY = 60 * MINUTE;
/** Changes this long after t0 are shown (flagged: often the mitigation). Matches the engine's default. */
const AFTER = 15 * MINUTE;
const EXEMPLAR_NOT_SIGNIFICANT = 5;

/**
 * Investigates one endpoint: finds the spike in its latency series (the latest one of the last
 * 24 h, or the most pronounced one in [from, to)), loads the traffic of the baseline and incident
 * windows and the access changes of the look-back as SQL aggregates, runs the attribution engine
 * and returns the ranked suspects with their evidence. Throws ApiError("not_found") for an unknown endpoint.
 */
export async function investigateEndpoint(db: PrismaClient, input: InvestigateEndpointInput): Promise<InvestigationJson> {
  const started = performance.now();
  let mark = started;
  const stage = (name: Parameters<NonNullable<InvestigateEndpointInput["onStage"]>>[0]) => {
    const now = performance.now();
    input.onStage?.(name, now - mark);
    mark = now;
  };
  const lookback = input.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES;
  const explicit = input.from != null && input.to != null;
  // The endpoint row and the series are independent (the series is keyed by the id asked for):
  // load them concurrently; an unknown id still rejects with findEndpoint's not_found.
  const seriesWindow = async (): Promise<[number, number]> => {
    if (explicit) return [input.from! - HISTORY, input.to!];
    const now = input.now ?? Date.now();
    const latest = await latestDataAt(db, input.endpointId);
    const to = floorMinute(latest != null && latest < now ? latest : now) + MINUTE;
    return [to - DAY, to];
  };
  const [endpoint, [seriesFrom, seriesTo, { source, points }, scope]] = await Promise.all([
    findEndpoint(db, input.endpointId),
    seriesWindow().then(async ([from, to]) => {
      if (!input.userType) return [from, to, await loadSeries(db, input.endpointId, from, to), null] as const;
      const scope = await loadTypeScope(db, input.endpointId, input.userType, from, to);
      return [from, to, await loadTypeSeries(db, input.endpointId, scope, from, to), scope] as const;
    }),
  ]);
  const options: InvestigationOptions = {
    ...input.options,
    latest: !explicit,
    lookbackMinutes: lookback,
    spike: { ...input.options?.spike, ...(explicit ? { from: input.from } : {}) },
  };
  const plan = planInvestigation(points, options);
  stage("series");
  const base = {
    endpoint, seriesSource: source, spike: plan.spike, stats: null, suspects: [], notSignificant: [],
    ...(scope ? { userType: { id: scope.userType, label: scope.label } } : {}),
  };

  if (plan.spike.kind !== "spike" || !plan.windows) {
    const reason = plan.spike.kind === "none" ? plan.spike.reason : "no analysis windows";
    const window = explicit ? { from: input.from!, to: input.to! } : { from: seriesFrom, to: seriesTo };
    return {
      ...base, window: { from: iso(window.from), to: iso(window.to) }, analysisWindows: null,
      series: points.filter((p) => p.ts >= window.from && p.ts < window.to),
      verdict: { verdict: "no_spike", reading: null, summary: `No latency spike found: ${reason}.` },
      timeline: [], callers: [], computedInMs: elapsed(started),
    };
  }

  const spike = plan.spike;
  const { baseline: B, incident: I } = plan.windows;
  // By default the window runs past a spike that ended, so the chart shows the recovery too.
  const shownTo = spike.end != null ? Math.min(seriesTo, Math.max(I.to, spike.end + RECOVERY_SHOWN)) : I.to;
  const window = explicit ? { from: input.from!, to: input.to! } : { from: Math.min(spike.start - lookback * MINUTE, B.from), to: shownTo };
  // The window's access changes and stored exemplars need no callers: they load beside the traffic
  // (on other connections), and the callers filter the changes here. Which groups need traces is
  // known only after the engine; picking them from the window's exemplars then costs no round trip.
  const changesFrom = spike.start - lookback * MINUTE, changesTo = Math.max(I.to, spike.start + AFTER);
  const [loaded, around, stored, deploys] = await Promise.all([
    loadTrafficTable(db, endpoint.id, B.from, I.to, { split: evenSplit(points, B.from, I.to), exact: input.exact, keep: scope?.callerIds }),
    loadChangesAround(db, endpoint, changesFrom, changesTo),
    loadStoredExemplars(db, endpoint.id, I.from, I.to),
    loadDeploysAround(db, endpoint.id, changesFrom, changesTo),
  ]);
  stage("traffic");
  const seen = seenOf(loaded.callers, around);
  // Cells of keys stored without policies get the keys' policies as of the incident first.
  const keyPolicies = await loadKeyPoliciesAsOf(db, seen.keysWithoutPolicies, I.to);
  const changes = [...changesReaching(around, seen), ...deploys];
  // A rotated key's requests count as its successor's: one caller, two keys (lineage.ts).
  const withPolicies = withKeyPolicies(loaded, keyPolicies);
  const lineage = keyLineage(withPolicies, plan.windows, changes);
  const cells = withLineage(withPolicies, lineage);
  const typeSuspects = loadTypeSuspects(db, endpoint.id, I, cells.callers, scope?.userType);
  typeSuspects.catch(() => {});
  const traffic = indexTraffic(cells, plan.windows);
  const minRequests = options.attribution?.minRequests ?? MIN_REQUESTS;
  const suspectIds = suspectGroupIds(traffic, changes, minRequests);
  // The engine's numbers need no labels: the callers' labels, and the traces of the groups the
  // answer may show (the suspect groups: which ones, only the engine tells), load while it runs.
  // The traces first: their query scans the incident's requests, the labels' only looks up ids.
  const maybeShown = stored.complete ? groupsOf(suspectIds) : null;
  const prefetched = maybeShown && loadExemplars(db, endpoint.id, I.from, I.to, maybeShown, undefined, stored, callerIdsIn(cells.callers, maybeShown));
  const toLabel = idsToLabel(traffic, changes, minRequests, suspectIds);
  toLabel.keyHashes.push(...lineage.rotations.flatMap((r) => [r.from, r.to]));
  const ctxLoaded = loadCallerContext(db, toLabel);
  // Awaited below; a failure must not go unhandled while the engine runs.
  ctxLoaded.catch(() => {});
  prefetched?.catch(() => {});
  await queriesSent();
  const userTypes = await typeSuspects;
  stage("context");
  const finish = scoreInvestigation({
    endpoint: { apiId: endpoint.apiId, method: endpoint.method, path: endpoint.path }, series: points, traffic, rotations: lineage.rotations, changes, spike,
    options: userTypes.length ? { ...options, attribution: { ...options.attribution, userTypes } } : options,
  });
  stage("engine");
  // Upstream vs gateway time only matters when nothing on the gateway explains the spike.
  const [ctx, latencySplit] = await Promise.all([ctxLoaded, finish.unexplained ? loadLatencySplit(db, endpoint.id, B, I) : undefined]);
  const result = finish(ctx.labels, { latencySplit });
  const verdict = result.verdict!;
  stage("labels");
  // Traces for what a responder will open: every suspect and the closest non-significant ones.
  const shown = [...verdict.suspects, ...verdict.notSignificant.slice(0, EXEMPLAR_NOT_SIGNIFICANT)];
  const groups = exemplarGroups(shown);
  const exemplars = prefetched && groups.every((g) => suspectIds[g.kind].has(g.id))
    ? await prefetched
    : await loadExemplars(db, endpoint.id, I.from, I.to, groups, undefined, stored, callerIdsIn(cells.callers, groups));
  stage("exemplars");
  const byId = new Map(changes.map((c) => [c.id, c]));
  const toJson = (s: Suspect, i: number, offset: number): SuspectJson =>
    suspectJson(s, offset + i + 1, ctx, byId, verdict.stats.qIncident, exemplarRefsOf(s, exemplars));

  return {
    ...base,
    window: { from: iso(window.from), to: iso(window.to) },
    analysisWindows: { baseline: { from: iso(B.from), to: iso(B.to) }, incident: { from: iso(I.from), to: iso(I.to) } },
    series: points.filter((p) => p.ts >= window.from && p.ts < window.to),
    verdict: { verdict: verdict.verdict, reading: verdict.reading, summary: verdict.summary, context: contextJson(verdict.context) },
    stats: verdict.stats,
    suspects: verdict.suspects.map((s, i) => toJson(s, i, 0)),
    notSignificant: verdict.notSignificant.map((s, i) => toJson(s, i, verdict.suspects.length)),
    timeline: timelineOf(spike, result.touches?.changes ?? [], traffic, I.from, ctx, result.rotations),
    callers: callersOf(traffic, ctx, verdict.stats.requestsIncident),
    computedInMs: elapsed(started),
  };
}

/**
 * What changesReaching and the key-policy lookup need from the cells: which of the keys, policies
 * and OAuth clients the changes name are seen on the requests (checking the few named ids beats
 * collecting every caller's), and the keys whose requests carry no policies.
 */
function seenOf(callers: readonly CellCaller[], around: ChangeAround[]): SeenCallers & { keysWithoutPolicies: string[] } {
  const namedKeys = new Set<string>(), namedPolicies = new Set<string>(), namedClients = new Set<string>();
  for (const { change: c } of around) {
    for (const k of c.keyHashes) namedKeys.add(k);
    if (c.kind === "key") namedKeys.add(c.targetId);
    if (c.kind === "policy") namedPolicies.add(c.targetId);
    if (c.kind === "oauth_client") namedClients.add(c.targetId);
  }
  const keys = new Set<string>(), policies = new Set<string>(), clients = new Set<string>(), bare = new Set<string>();
  for (const c of callers) {
    if (c.keyHash) {
      if (namedKeys.has(c.keyHash)) keys.add(c.keyHash);
      if (!c.policyIds.length) bare.add(c.keyHash);
    }
    if (c.oauthClientId && namedClients.has(c.oauthClientId)) clients.add(c.oauthClientId);
    if (namedPolicies.size) for (const p of c.policyIds) if (namedPolicies.has(p)) policies.add(p);
  }
  return { keyHashes: keys, policyIds: policies, oauthClientIds: clients, keysWithoutPolicies: [...bare] };
}

/**
 * Lets the queries started so far reach the server before synchronous work: pg's pool hands an
 * idle connection to a query on process.nextTick, so a query started just before the engine would
 * otherwise only be sent after it.
 */
function queriesSent(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function groupsOf(ids: Record<GroupKind, Set<string>>): { kind: GroupKind; id: string }[] {
  return (Object.keys(ids) as GroupKind[]).flatMap((kind) => [...ids[kind]].map((id) => ({ kind, id })));
}

/** The ids of the callers in any of the groups; undefined when a caller has none. */
function callerIdsIn(callers: readonly CellCaller[], groups: { kind: GroupKind; id: string }[]): number[] | undefined {
  const ids: Record<GroupKind, Set<string>> = { key: new Set(), identity: new Set(), policy: new Set(), oauth_client: new Set() };
  for (const g of groups) ids[g.kind].add(g.id);
  const out = new Set<number>();
  for (const c of callers) {
    if (c.callerId == null) return undefined;
    if ((c.keyHash && ids.key.has(c.keyHash)) || (c.identityId && ids.identity.has(c.identityId))
      || (c.oauthClientId && ids.oauth_client.has(c.oauthClientId)) || c.policyIds.some((p) => ids.policy.has(p))) out.add(c.callerId);
  }
  return [...out];
}

/** An access change shows the traces of the keys it enabled (or of the key it changed). */
function changeKeys(s: Suspect): string[] {
  return s.evidence.enables?.keyHashes ?? [];
}

// A user type's traces are its keys' (a key, identity or policy suspect of it shows them).
function exemplarGroups(suspects: Suspect[]): { kind: GroupKind; id: string }[] {
  return suspects.flatMap((s) => (s.kind === "user_type" ? [] : s.kind === "access_change" || s.kind === "deploy" ? changeKeys(s).map((id) => ({ kind: "key" as const, id })) : [{ kind: s.kind, id: s.id }]));
}

function exemplarRefsOf(s: Suspect, exemplars: Map<string, ExemplarRef[]>): ExemplarRef[] {
  if (s.kind === "user_type") return [];
  if (s.kind !== "access_change" && s.kind !== "deploy") return exemplarsOf(exemplars, s.kind, s.id);
  const all = changeKeys(s).flatMap((k) => exemplarsOf(exemplars, "key", k));
  return all.filter((e, i) => all.findIndex((x) => x.traceId === e.traceId) === i).slice(0, 3);
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
