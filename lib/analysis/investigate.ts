// The single entry point for the API layer: spike → windows → touches → attribution.
// Pure: the caller loads the series first, calls planInvestigation to learn which windows of
// traffic to load, then calls investigate with everything.
import type { AccessChange, InvestigationResult, LatencyPoint, RequestSample, SpikeFound, SpikeResult, TimeWindow, TrafficCell } from "./types";
import { detectLatestSpike, detectSpike, windowsForSpike, type SpikeOptions, type WindowOptions } from "./spike";
import { cellsFromRequests, indexTraffic, type IndexedTraffic } from "./traffic";
import { findTouches } from "./touches";
import { scoreAttribution, type AttributeOptions } from "./attribute";
import type { Labels } from "./candidates";

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
  endpoint: { apiId: string };
  series: LatencyPoint[];
  /** Pre-aggregated cells (preferred) and/or a bounded request sample; both may be a superset of B ∪ I. */
  cells?: TrafficCell[];
  requests?: RequestSample[];
  changes: AccessChange[];
  /** keyHash → policyIds as of the incident, for cells that arrive without policies. */
  keyPolicies?: Record<string, string[]>;
  /**
   * The cells already indexed for the spike's windows (indexTraffic), so a caller can build the
   * index while its other queries are in flight. Then cells, requests and keyPolicies are not read.
   */
  traffic?: IndexedTraffic;
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

/**
 * investigate() in two steps: everything but the callers' labels now, and a function that returns
 * the result once they are known (see scoreAttribution), so a caller can load the labels meanwhile.
 */
export function scoreInvestigation(input: InvestigationInput): (labels?: Labels) => InvestigationResult {
  const o = input.options ?? {};
  const plan = input.spike ? { spike: input.spike as SpikeResult, windows: windowsForSpike(input.spike, windowOptions(input.series, o)) } : planInvestigation(input.series, o);
  if (plan.spike.kind !== "spike" || !plan.windows) return () => ({ spike: plan.spike, windows: null, touches: null, verdict: null });
  const start = plan.spike.start;
  const windows = plan.windows;

  const traffic = input.traffic ?? indexTraffic(cellsOf(input), windows);
  const touches = findTouches(input.changes, traffic, { apiId: input.endpoint.apiId, start, lookbackMinutes: o.lookbackMinutes, afterMinutes: o.afterMinutes });
  const finish = scoreAttribution(traffic, touches.changes, { apiId: input.endpoint.apiId, ...o.attribution, start });
  return (labels) => ({ spike: plan.spike, windows, touches, verdict: finish(labels) });
}

function cellsOf(input: InvestigationInput): TrafficCell[] {
  const cells = [...(input.cells ?? []), ...(input.requests?.length ? cellsFromRequests(input.requests) : [])];
  return input.keyPolicies ? withKeyPolicies(cells, input.keyPolicies) : cells;
}

/** Cells of keys stored without policies get the key's policies (keyHash → policyIds). */
export function withKeyPolicies(cells: TrafficCell[], keyPolicies: Record<string, string[]>): TrafficCell[] {
  return cells.map((c) => (c.policyIds.length || !c.keyHash || !keyPolicies[c.keyHash] ? c : { ...c, policyIds: keyPolicies[c.keyHash] }));
}
