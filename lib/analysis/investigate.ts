// The single entry point for the API layer: spike → windows → touches → attribution.
// Pure: the caller loads the series first, calls planInvestigation to learn which windows of
// traffic to load, then calls investigate with everything.
import type { AccessChange, InvestigationResult, LatencyPoint, LatencySplit, RequestSample, Rotation, SpikeFound, SpikeResult, TimeWindow, TrafficCell, Verdict } from "./types";
import { detectLatestSpike, detectSpike, windowsForSpike, type SpikeOptions, type WindowOptions } from "./spike";
import { cellsFromRequests, indexTraffic, type IndexedTraffic } from "./traffic";
import { findTouches } from "./touches";
import { scoreAttribution, type AttributeOptions } from "./attribute";
import type { Labels } from "./candidates";
import { keyLineage, withLineage } from "./lineage";
import { cellTableOf, mapCallers, type CellCaller, type CellTable } from "./cell-table";

export interface InvestigationOptions {
  /** Analyse the most recent spike instead of the most pronounced one. */
  latest?: boolean;
  spike?: SpikeOptions;
  windows?: WindowOptions;
  lookbackMinutes?: number;
  afterMinutes?: number;
  attribution?: Omit<AttributeOptions, "start">;
}

export interface InvestigationInput {
  /** The endpoint's API, and its method and path template (its own rate limit in the API definition). */
  endpoint: { apiId: string; method?: string; path?: string };
  series: LatencyPoint[];
  /** Pre-aggregated cells (preferred) and/or a bounded request sample; both may be a superset of B ∪ I. */
  cells?: TrafficCell[];
  requests?: RequestSample[];
  changes: AccessChange[];
  /** keyHash → policyIds as of the incident, for cells that arrive without policies. */
  keyPolicies?: Record<string, string[]>;
  /**
   * The cells already indexed for the spike's windows (indexTraffic, after withLineage), so a caller
   * can build the index while its other queries are in flight. Then cells, requests and keyPolicies
   * are not read, and `rotations` are the ones its keyLineage found.
   */
  traffic?: IndexedTraffic;
  rotations?: Rotation[];
  /** Skip detection (e.g. the user picked the spike, or planInvestigation already ran). */
  spike?: SpikeFound;
  options?: InvestigationOptions;
}

export interface InvestigationPlan {
  spike: SpikeResult;
  windows: { baseline: TimeWindow; incident: TimeWindow } | null;
}

/** Step one: find the spike and the windows of traffic the SQL layer should load. */
export function planInvestigation(series: LatencyPoint[], options: InvestigationOptions = {}): InvestigationPlan {
  const spike = (options.latest ? detectLatestSpike : detectSpike)(series, options.spike);
  return { spike, windows: spike.kind === "spike" ? windowsForSpike(spike, windowOptions(series, options)) : null };
}

/** An ongoing spike's window ends with the data, or rates would be diluted by minutes not yet lived. */
function windowOptions(series: LatencyPoint[], options: InvestigationOptions) {
  const last = series.reduce((m, p) => Math.max(m, p.ts), Number.NEGATIVE_INFINITY);
  return { ...options.windows, now: options.windows?.now ?? (Number.isFinite(last) ? last : undefined) };
}

export function investigate(input: InvestigationInput): InvestigationResult {
  return scoreInvestigation(input)(input.options?.attribution?.labels);
}

/** scoreInvestigation's second step: the result once the labels (and, for an unexplained spike, the latency split) are known. */
export type FinishInvestigation = ((labels?: Labels, extra?: { latencySplit?: LatencySplit }) => InvestigationResult) & { unexplained: boolean };

/**
 * investigate() in two steps: everything but the callers' labels now, and a function that returns
 * the result once they are known (see scoreAttribution), so a caller can load the labels meanwhile.
 */
export function scoreInvestigation(input: InvestigationInput): FinishInvestigation {
  const o = input.options ?? {};
  const plan = input.spike ? { spike: input.spike as SpikeResult, windows: windowsForSpike(input.spike, windowOptions(input.series, o)) } : planInvestigation(input.series, o);
  if (plan.spike.kind !== "spike" || !plan.windows) {
    return Object.assign(() => ({ spike: plan.spike, windows: null, touches: null, verdict: null, rotations: [] }), { unexplained: false });
  }
  const start = plan.spike.start;
  const windows = plan.windows;

  let traffic = input.traffic, rotations = input.rotations ?? [];
  if (!traffic) {
    const cells = cellTableOf(cellsOf(input));
    const lineage = keyLineage(cells, windows, input.changes);
    traffic = indexTraffic(withLineage(cells, lineage), windows);
    rotations = lineage.rotations;
  }
  const { apiId, method, path } = input.endpoint;
  const touches = findTouches(input.changes, traffic, { apiId, start, lookbackMinutes: o.lookbackMinutes, afterMinutes: o.afterMinutes });
  const finish = scoreAttribution(traffic, touches.changes, { apiId, ...(method && path ? { endpoint: { method, path } } : {}), ...o.attribution, start });
  return Object.assign(
    (labels?: Labels, extra?: { latencySplit?: LatencySplit }) => ({ spike: plan.spike, windows, touches, verdict: withRotations(finish(labels, extra), rotations), rotations }),
    { unexplained: finish.unexplained },
  );
}

/** Key suspects carry the keys they were rotated from (their requests are counted as theirs). */
function withRotations(v: Verdict, rotations: Rotation[]): Verdict {
  if (!rotations.length) return v;
  for (const s of [...v.suspects, ...v.notSignificant]) {
    const from = s.kind === "key" ? rotations.filter((r) => r.to === s.id) : [];
    if (from.length) s.evidence.rotatedFrom = from.map((r) => ({ keyHash: r.from, at: r.at, source: r.source }));
  }
  return v;
}

function cellsOf(input: InvestigationInput): TrafficCell[] {
  const cells = [...(input.cells ?? []), ...(input.requests?.length ? cellsFromRequests(input.requests) : [])];
  return input.keyPolicies ? withKeyPolicies(cells, input.keyPolicies) : cells;
}

/** Cells of keys stored without policies get the key's policies (keyHash → policyIds). */
export function withKeyPolicies(cells: TrafficCell[], keyPolicies: Record<string, string[]>): TrafficCell[];
export function withKeyPolicies(cells: CellTable, keyPolicies: Record<string, string[]>): CellTable;
export function withKeyPolicies(cells: TrafficCell[] | CellTable, keyPolicies: Record<string, string[]>): TrafficCell[] | CellTable {
  const filled = <C extends CellCaller>(c: C): C => (c.policyIds.length || !c.keyHash || !keyPolicies[c.keyHash] ? c : { ...c, policyIds: keyPolicies[c.keyHash] });
  return mapCallers(cells, filled);
}
