// Server-side data of the endpoint page (/endpoints/[id]): the investigation from the service
// itself (no HTTP hop on first render), the chart's wider context with its change markers, and
// what deep links to the trace backend need.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { sharedInvestigation } from "@/lib/investigation/shared-investigation";
import { changeMarkers, changesElsewhere } from "@/lib/investigation/endpoint-series";
import { latestDataAt, loadSeries } from "@/lib/investigation/load";
import type { InvestigationJson } from "@/lib/investigation/result";
import type { ChangeMarker, SeriesView, TraceUiRef } from "./endpoint-page-types";
import { contextRange } from "./endpoint-page-window";

export interface EndpointPageRequest {
  from?: number;
  to?: number;
  lookback?: number;
  userType?: string;
}

export interface TraceUiConfig {
  url: string;
  project: string | null;
}

export interface EndpointPageData {
  investigation: InvestigationJson;
  context: SeriesView;
  traceUi: TraceUiRef;
}

/** Everything the endpoint page renders first. Throws ApiError("not_found") for an unknown endpoint. */
export async function loadEndpointPage(
  db: PrismaClient, endpointId: string, req: EndpointPageRequest, traceUi: TraceUiConfig | null = traceUiFromEnv(),
): Promise<EndpointPageData> {
  const investigation = await sharedInvestigation(db, { endpointId, from: req.from, to: req.to, lookbackMinutes: req.lookback, userType: req.userType });
  const window = { from: Date.parse(investigation.window.from), to: Date.parse(investigation.window.to) };
  // Filtered to a user type, the chart is that type's series over the window (the investigation's), not the endpoint's.
  const range = investigation.userType ? window : contextRange(window, await latestDataAt(db, endpointId));
  const [series, markers, spans] = await Promise.all([
    investigation.userType ? { source: investigation.seriesSource, points: investigation.series } : loadSeries(db, endpointId, range.from, range.to),
    loadChangeMarkers(db, investigation.endpoint, range.from, range.to),
    loadExemplarSpans(db, exemplarTraceIds(investigation)),
  ]);
  const elsewhere = await changesElsewhere(db, range.from, range.to, markers.map((m) => m.id));
  return {
    investigation,
    context: { ...range, source: series.source, points: series.points, markers, elsewhere: { count: elsewhere.count, changes: elsewhere.changes.map((m) => ({ ...m, at: Date.parse(m.at) })) } },
    traceUi: { base: traceUi?.project ? `${traceUi.url.replace(/\/+$/, "")}/${encodeURIComponent(traceUi.project)}` : null, spans },
  };
}

/** Access changes and deploys reaching the endpoint in [from, to], shaped for the chart (with their targets, for links). */
export async function loadChangeMarkers(db: PrismaClient, endpoint: { id: string; apiId: string }, from: number, to: number): Promise<ChangeMarker[]> {
  return (await changeMarkers(db, endpoint, from, to)).map((m) => ({ ...m, at: Date.parse(m.at) }));
}

/** trace id → one span id we hold for it (Lightstep's UI opens a trace by span). */
export async function loadExemplarSpans(db: PrismaClient, traceIds: string[]): Promise<Record<string, string>> {
  if (!traceIds.length) return {};
  const rows = await db.exemplar.findMany({ where: { traceId: { in: traceIds } }, select: { traceId: true, spanId: true }, orderBy: { ts: "asc" } });
  const out: Record<string, string> = {};
  for (const r of rows) out[r.traceId] ??= r.spanId;
  return out;
}

function exemplarTraceIds(inv: InvestigationJson): string[] {
  return [...new Set([...inv.suspects, ...inv.notSignificant].flatMap((s) => s.evidence.exemplarTraceIds))];
}

/** The trace backend's UI (TRACE_UI_URL) and project, or null when no trace backend is configured. */
function traceUiFromEnv(): TraceUiConfig | null {
  const e = env();
  return e.TRACE_BACKEND === "none" ? null : { url: e.TRACE_UI_URL, project: e.LIGHTSTEP_PROJECT ?? null };
}
