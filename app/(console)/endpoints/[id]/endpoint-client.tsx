"use client";

// The endpoint page's interactive island: the brush/window form drive ?from=&to= in the URL, and
// the investigation is refetched through the API for that window (the server rendered the first one).
import dynamic from "next/dynamic";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CallersTable } from "@/components/endpoint/callers-table";
import { ChangesList } from "@/components/endpoint/changes-list";
import { EvidenceDrawer } from "@/components/endpoint/evidence-drawer";
import { SuspectsPanel } from "@/components/endpoint/suspects-panel";
import type { SuspectRow } from "@/components/endpoint/suspect-model";
import { useEndpointSeries } from "@/components/endpoint/use-endpoint-series";
import { useInvestigation } from "@/components/endpoint/use-investigation";
import { WindowForm } from "@/components/endpoint/window-form";
import { UserTypeChip } from "@/components/endpoint/user-type-chip";
import { CreateIncidentButton } from "@/components/incidents/create-incident-button";
import { ChangesElsewhere } from "@/components/endpoint/changes-elsewhere";
import { withWeekAgo, WEEK } from "@/components/endpoint/chart-model";
import { RangePresets } from "@/components/endpoint/range-presets";
import { Time, useTimeZone } from "@/components/ui/time";
import { parseLinkTime } from "@/lib/time-format";
import type { InvestigationJson } from "@/lib/investigation/result";
import type { ChangeMarker, SeriesView, TraceUiRef } from "@/lib/queries/endpoint-page-types";
import { chartRows, contextRange, indicesOf, MINUTE, rowStep, windowSearch, type Range } from "@/lib/queries/endpoint-page-window";

// recharts is ~130 KB gzip: loaded beside the page rather than in its first-load bundle (issue 8's
// 250 KB budget); it cannot render on the server anyway (it measures its container).
const LatencyChart = dynamic(() => import("@/components/endpoint/latency-chart").then((m) => m.LatencyChart), {
  ssr: false,
  loading: () => <div className="h-80 w-full animate-pulse rounded-xl bg-slate-100 dark:bg-slate-800" role="status" aria-label="Loading the chart" />,
});

export interface EndpointClientProps {
  endpointId: string;
  /** The signed-in actor may freeze this investigation into an incident (incidents:write). */
  canCreateIncident: boolean;
  initial: { window: Range | null; investigation: InvestigationJson; context: SeriesView; traceUi: TraceUiRef };
  /** The user type the server filtered the first investigation to (?userType=), with its label. */
  userType: { id: string; label: string } | null;
}

function urlWindow(params: URLSearchParams): Range | null {
  // A zone-less time is UTC here as on the server (Date.parse would read it in the browser's zone).
  const from = parseLinkTime(params.get("from")), to = parseLinkTime(params.get("to"));
  return from && to && to.ms > from.ms ? { from: from.ms, to: to.ms } : null;
}

function withoutType(params: URLSearchParams | ReturnType<typeof useSearchParams>): URLSearchParams {
  const q = new URLSearchParams(params.toString());
  q.delete("userType");
  return q;
}

export function EndpointClient({ endpointId, canCreateIncident, initial, userType }: EndpointClientProps) {
  const params = useSearchParams();
  const pathname = usePathname();
  const requested = useMemo(() => urlWindow(new URLSearchParams(params.toString())), [params]);
  const typeId = params.get("userType") || null;
  const inv = useInvestigation(endpointId, requested, { window: initial.window, data: initial.investigation }, typeId);
  const data = inv.data ?? initial.investigation;
  const typeLabel = data.userType?.label ?? (userType?.id === typeId ? userType?.label : typeId) ?? null;
  const analysed = useMemo(() => ({ from: Date.parse(data.window.from), to: Date.parse(data.window.to) }), [data.window.from, data.window.to]);

  const initialRange = { from: initial.context.from, to: initial.context.to };
  const range = analysed.from >= initialRange.from && analysed.to <= initialRange.to ? initialRange : contextRange(analysed, initialRange.to - MINUTE);
  const series = useEndpointSeries(endpointId, range, initial.context);
  // Filtered, the chart draws the type's own series (the investigation's), not the endpoint's.
  const endpointView = series.data ?? initial.context;
  const view = useMemo(() => (data.userType ? { ...endpointView, ...analysed, source: data.seriesSource, points: data.series } : endpointView), [data, endpointView, analysed]);
  // The same range a week earlier, for the dashed week-over-week line (hour aggregates: cheap).
  const lastWeek = useEndpointSeries(endpointId, { from: range.from - WEEK, to: range.to - WEEK });
  const step = rowStep(view);
  const rows = useMemo(() => {
    const now = chartRows(view.points, view, step);
    const before = data.userType ? undefined : lastWeek.data;
    return before ? withWeekAgo(now, chartRows(before.points, before, step)) : now;
  }, [view, step, lastWeek.data, data.userType]);
  const selection = useMemo(() => indicesOf(analysed, view.from, rows.length, step), [analysed, view.from, rows.length, step]);
  const { timeZone } = useTimeZone();

  const targets = useMemo(() => new Map<string, ChangeMarker>([...initial.context.markers, ...view.markers].map((m) => [m.id, m])), [initial.context.markers, view.markers]);
  const suspectChangeIds = useMemo(() => new Set(data.suspects.filter((s) => s.kind === "access_change").map((s) => s.id)), [data.suspects]);
  const keyLabels = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of data.callers) if (c.kind === "key") m.set(c.id, c.label);
    for (const s of [...data.suspects, ...data.notSignificant]) if (s.kind === "key") m.set(s.id, s.label);
    return m;
  }, [data]);
  const spike = data.spike.kind === "spike"
    ? { from: data.spike.start, to: (data.spike.end ?? rows.at(-1)?.ts ?? data.spike.start) + MINUTE }
    : null;

  const go = useCallback((w: Range | null) => {
    // pushState keeps Next's router in sync (useSearchParams updates) without a server round trip;
    // the back button returns to the previous window.
    window.history.pushState(null, "", `${pathname}${windowSearch(w, new URLSearchParams(params.toString()))}`);
  }, [pathname, params]);

  const [open, setOpen] = useState<{ row: SuspectRow; opener: HTMLElement } | null>(null);
  const busy = inv.isFetching;
  const inWindow = view.markers.filter((m) => m.at >= analysed.from && m.at < analysed.to);

  return (
    <div className="space-y-6">
      {canCreateIncident && (
        <div className="-mt-2 flex justify-end">
          <CreateIncidentButton
            endpointId={endpointId}
            from={analysed.from}
            to={analysed.to}
            defaultTitle={`${data.endpoint.method} ${data.endpoint.path} latency spike${data.userType ? ` (${data.userType.label})` : ""}`}
            userType={data.userType?.id ?? null}
          />
        </div>
      )}
      {typeId && <UserTypeChip label={typeLabel ?? typeId} removeHref={`${pathname}${windowSearch(requested, withoutType(params))}`} />}
      <RangePresets window={analysed} onPick={go} />
      <Card title="Latency" actions={
        <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-300">
          <span data-testid="analysed-window">Analysed <Time at={analysed.from} /> – <Time at={analysed.to} /></span>
          <Badge>{view.source === "latency_points" ? "from traces" : view.source === "request_records" ? "from gateway logs" : "no data"}</Badge>
        </div>
      }>
        {inv.isError && (
          <p role="alert" className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
            Could not analyse that window: {inv.error.message} Showing the previous result.
          </p>
        )}
        {series.isError && <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">Could not load the chart for that range: {series.error.message}</p>}
        {rows.length ? (
          <LatencyChart rows={rows} selection={selection} spike={spike} markers={view.markers} suspectChangeIds={suspectChangeIds} onSelect={go} step={step} timeZone={timeZone} />
        ) : (
          <p className="py-10 text-center text-sm text-slate-500">No latency data for this endpoint in this range.</p>
        )}
        <div className="mt-4 flex flex-col gap-4 border-t border-slate-100 pt-4 dark:border-slate-800">
          <WindowForm window={analysed} automatic={!requested} onApply={go} onReset={() => go(null)} />
          <ChangesList markers={inWindow} suspectChangeIds={suspectChangeIds} />
          <ChangesElsewhere elsewhere={view.elsewhere} />
        </div>
      </Card>

      <SuspectsPanel investigation={data} busy={busy} onOpen={(row, opener) => setOpen({ row, opener })} />

      <Card title="Callers by identity">
        <CallersTable callers={data.callers} />
      </Card>

      <EvidenceDrawer row={open?.row ?? null} opener={open?.opener ?? null} targets={targets} until={analysed.to} keyLabels={keyLabels} traceUi={initial.traceUi} onClose={() => setOpen(null)} />
    </div>
  );
}
