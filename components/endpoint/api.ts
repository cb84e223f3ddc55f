// Browser-side fetchers of the endpoint page: the investigation and series routes (lib/investigation's
// API), with the one error shape turned into a readable Error.
import type { LatencyPoint } from "@/lib/analysis";
import type { InvestigationJson } from "@/lib/investigation/result";
import type { ChangeMarker, SeriesView } from "@/lib/queries/endpoint-page-types";
import { windowSearch, type Range } from "@/lib/queries/endpoint-page-window";

export class FetchError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string) {
    super(message);
  }
}

async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (body as { error?: { message?: string; field?: string } } | null)?.error;
    throw new FetchError(res.status, err?.message ?? `Request failed (${res.status})`, err?.field);
  }
  return body;
}

export function fetchInvestigation(endpointId: string, window: Range | null, signal?: AbortSignal, userType?: string | null): Promise<InvestigationJson> {
  const search = windowSearch(window, userType ? new URLSearchParams({ userType }) : undefined);
  return getJson(`/api/endpoints/${encodeURIComponent(endpointId)}/investigation${search}`, signal) as Promise<InvestigationJson>;
}

export async function fetchSeries(endpointId: string, range: Range, signal?: AbortSignal): Promise<SeriesView> {
  const body = await getJson(`/api/endpoints/${encodeURIComponent(endpointId)}/series${windowSearch(range)}`, signal);
  return toSeriesView(body, range);
}

type Loose = Record<string, unknown>;

/**
 * Reads the series route's answer into the chart's shape, tolerating the spellings it may use
 * (points or series; times as ISO or epoch ms; markers with or without ids and targets).
 */
export function toSeriesView(body: unknown, range: Range): SeriesView {
  const b = (body ?? {}) as Loose;
  const rawPoints = (Array.isArray(b.points) ? b.points : Array.isArray(b.series) ? b.series : []) as Loose[];
  const rawMarkers = (Array.isArray(b.markers) ? b.markers : []) as Loose[];
  const points: LatencyPoint[] = rawPoints.map((p) => ({
    ts: time(p.ts), p50: num(p.p50), p95: num(p.p95), p99: num(p.p99), count: num(p.count) ?? 0, errors: num(p.errors) ?? 0,
  }));
  const markers = rawMarkers.map(toMarker);
  const rawElsewhere = (b.elsewhere ?? {}) as Loose;
  const elsewhere = {
    count: typeof rawElsewhere.count === "number" ? rawElsewhere.count : 0,
    changes: (Array.isArray(rawElsewhere.changes) ? rawElsewhere.changes as Loose[] : []).map(toMarker),
  };
  const source = typeof b.source === "string" ? b.source : typeof b.seriesSource === "string" ? b.seriesSource : "unknown";
  return { from: range.from, to: range.to, source, points, markers, elsewhere };
}

function toMarker(m: Loose, i: number): ChangeMarker {
  return {
    id: typeof m.id === "string" ? m.id : `marker-${i}`,
    at: time(m.at ?? m.changedAt),
    kind: String(m.kind ?? "change"),
    action: String(m.action ?? "update"),
    label: String(m.label ?? m.targetLabel ?? ""),
    targetId: typeof m.targetId === "string" ? m.targetId : null,
    actor: typeof m.actor === "string" ? m.actor : null,
    timeSource: m.timeSource === "audit" || m.timeSource === "first_seen" ? m.timeSource : null,
    diff: Array.isArray(m.diff) ? (m.diff as ChangeMarker["diff"]) : [],
  };
}

function time(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return Date.parse(v);
  return Number.NaN;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
