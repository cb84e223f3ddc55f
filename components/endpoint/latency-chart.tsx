"use client";

// The latency chart: p50/p95/p99 lines over volume bars (right axis, requests per minute), the
// spike shaded, last week's p99 dashed, changes that can reach the endpoint drawn as labelled
// flags (hover or focus one for what changed, by whom, and the diff) and a brush over the whole
// context that chooses the analysed window. Only the recharts pieces used are imported (the
// package is side-effect free, so the rest is shaken out).
import { useEffect, useRef, useState } from "react";
import { Bar, Brush, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMs } from "@/lib/format";
import { formatClock, UTC } from "@/lib/time-format";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { floorMinute, MINUTE, windowOf, type ChartRow, type Range } from "@/lib/queries/endpoint-page-window";
import { ChangeSummary } from "./change-summary";
import { ChartLegend, COLORS, markerColor } from "./chart-legend";
import { markerRows, markerText, MARKER_ROWS } from "./chart-model";
import { ChartTooltip } from "./chart-tooltip";
import { actionText } from "./suspect-model";

export interface LatencyChartProps {
  rows: (ChartRow & { p99WeekAgo?: number | null })[];
  selection: { startIndex: number; endIndex: number };
  spike: Range | null;
  markers: ChangeMarker[];
  /** Changes the investigation ranked as significant suspects: drawn in red. */
  suspectChangeIds: Set<string>;
  /** Called with the window the brush chose; without it the chart is read-only (no brush). */
  onSelect?: (window: Range) => void;
  /** A range to shade lightly (a frozen incident's analysed window). */
  highlight?: Range;
  /** Accessible description; defaults to the live chart's. */
  label?: string;
  /** IANA zone of the axis and tooltip times (the reader's choice); UTC by default. */
  timeZone?: string;
  /** Milliseconds per row (rowStep): the brush's indices are rows of this length. */
  step?: number;
}

const FLAG_ROW_PX = 16;

export function LatencyChart({ rows, selection, spike, markers, suspectChangeIds, onSelect, highlight, label, timeZone = UTC, step = MINUTE }: LatencyChartProps) {
  const [brush, setBrush] = useState(selection);
  const [active, setActive] = useState<{ marker: ChangeMarker; x: number } | null>(null);
  const [shown, setShown] = useState(selection);
  const [width, setWidth] = useState(800);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(([e]) => setWidth(e?.contentRect.width ?? 800));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  if (shown.startIndex !== selection.startIndex || shown.endIndex !== selection.endIndex) {
    // A new analysed window arrived (URL, form, back button): move the brush to it.
    setShown(selection);
    setBrush(selection);
  }
  const gridFrom = rows[0]?.ts ?? 0;
  const commit = (r: { startIndex?: number; endIndex?: number }) => {
    if (r.startIndex == null || r.endIndex == null) return;
    setBrush({ startIndex: r.startIndex, endIndex: r.endIndex });
    if (r.startIndex !== selection.startIndex || r.endIndex !== selection.endIndex) onSelect?.(windowOf(r.startIndex, r.endIndex, gridFrom, step));
  };
  const visible = onSelect
    ? { from: rows[brush.startIndex]?.ts ?? gridFrom, to: rows[brush.endIndex]?.ts ?? gridFrom }
    : { from: gridFrom, to: rows.at(-1)?.ts ?? gridFrom };
  const flagRows = markerRows(markers.map((m) => ({ id: m.id, at: floorMinute(m.at) })), visible, Math.max(1, width - 120));
  // On a phone only the suspects' flags carry their name; the others shrink to a tab (named on focus, hover and in the list below).
  const compact = width < 600;
  const weekAgo = rows.some((r) => r.p99WeekAgo != null);
  const clock = (ms: number) => formatClock(ms, timeZone);

  return (
    <div className="relative" onMouseLeave={() => setActive(null)}>
      <ChartLegend weekAgo={weekAgo} hasMarkers={markers.length > 0} spike={spike != null} />
      <div ref={box} className={`${onSelect ? "h-80" : "h-72"} w-full`} role="figure" aria-label={label ?? "Latency (p50, p95, p99) and request volume per minute, with access changes marked"}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8 + MARKER_ROWS * FLAG_ROW_PX, right: 4, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" vertical={false} />
            <XAxis dataKey="ts" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={clock} tick={{ fontSize: 11 }} stroke="currentColor" className="text-slate-600 dark:text-slate-300" />
            <YAxis yAxisId="ms" tickFormatter={(v: number) => formatMs(v)} tick={{ fontSize: 11 }} width={68} stroke="currentColor" className="text-slate-600 dark:text-slate-300"
              label={{ value: "latency", angle: -90, position: "insideLeft", offset: 10, fontSize: 11, fill: "currentColor" }} />
            <YAxis yAxisId="n" orientation="right" tick={{ fontSize: 11 }} width={48} stroke="currentColor" className="text-slate-600 dark:text-slate-300" allowDecimals={false}
              label={{ value: "requests / min", angle: 90, position: "insideRight", offset: 10, fontSize: 11, fill: "currentColor" }} />
            <Tooltip content={<ChartTooltip timeZone={timeZone} />} isAnimationActive={false} />
            {highlight && <ReferenceArea yAxisId="ms" x1={highlight.from} x2={highlight.to} ifOverflow="hidden" fill="#2f6fed" fillOpacity={0.06} />}
            {spike && (
              <ReferenceArea yAxisId="ms" x1={spike.from} x2={spike.to} ifOverflow="hidden" fill="#ef4444" fillOpacity={0.12} stroke="#ef4444" strokeOpacity={0.3}
                label={{ value: "spike", position: "insideTopRight", fill: "#dc2626", fontSize: 11 }} />
            )}
            <Bar yAxisId="n" dataKey="count" name="requests / min" fill={COLORS.volume} fillOpacity={0.35} isAnimationActive={false} />
            {weekAgo && <Line yAxisId="ms" dataKey="p99WeekAgo" name="p99 a week ago" stroke={COLORS.weekAgo} strokeDasharray="5 4" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />}
            <Line yAxisId="ms" dataKey="p50" name="p50" stroke={COLORS.p50} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            <Line yAxisId="ms" dataKey="p95" name="p95" stroke={COLORS.p95} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            <Line yAxisId="ms" dataKey="p99" name="p99" stroke={COLORS.p99} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
            {markers.map((m) => {
              const hot = suspectChangeIds.has(m.id);
              const color = markerColor(m.kind, hot);
              const row = flagRows.get(m.id) ?? 0;
              return (
                <ReferenceLine key={m.id} yAxisId="ms" x={gridFrom + Math.floor((m.at - gridFrom) / step) * step} stroke={color} strokeDasharray="4 2" strokeWidth={hot ? 2 : 1}
                  // An element, not a function: recharts makes a label function a component type, a new
                  // one each render, so the focused flag was remounted and focus fell back to the first.
                  label={<MarkerFlag color={color} marker={m} timeZone={timeZone} rowOffset={row * FLAG_ROW_PX} chartWidth={width} named={!compact || hot}
                    onShow={(x) => setActive({ marker: m, x })} onHide={() => setActive(null)} />} />
              );
            })}
            {onSelect && <Brush dataKey="ts" height={36} fill="rgba(148, 163, 184, 0.08)" startIndex={brush.startIndex} endIndex={brush.endIndex} tickFormatter={clock} stroke="#2f6fed"
              onChange={(r) => setBrush({ startIndex: r.startIndex ?? 0, endIndex: r.endIndex ?? 0 })} onDragEnd={commit}
              ariaLabel="Analysed window: drag the handles to change it">
              <ComposedChart data={rows}>
                <Line dataKey="p99" stroke="#2f6fed" dot={false} isAnimationActive={false} />
              </ComposedChart>
            </Brush>}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {active && (
        <div role="tooltip" id={`marker-tip-${active.marker.id}`}
          className="pointer-events-none absolute z-10 w-[min(20rem,90vw)] -translate-x-1/2 rounded-xl border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          style={{ left: Math.min(Math.max(160, active.x), Math.max(160, width - 160)), top: 28 + MARKER_ROWS * FLAG_ROW_PX }}>
          <ChangeSummary change={active.marker} />
        </div>
      )}
    </div>
  );
}

/** Recharts clones the label element with the reference line's `viewBox`. */
function MarkerFlag({ viewBox, rowOffset, chartWidth, color, marker, timeZone, named, onShow, onHide }: {
  viewBox?: { x?: number; y?: number }; rowOffset: number; chartWidth: number; color: string; marker: ChangeMarker; timeZone: string; named: boolean;
  onShow: (x: number) => void; onHide: () => void;
}) {
  const x = viewBox?.x ?? 0, y = (viewBox?.y ?? 0) - rowOffset;
  const leftward = x > chartWidth - 170;
  const text = named ? markerText(marker) : "";
  const w = named ? text.length * 5.6 + 10 : 8;
  const left = leftward ? x - w + 1 : x - 1;
  return (
    <g tabIndex={0} role="button" data-testid="chart-marker"
      aria-label={`${marker.kind === "deploy" ? "deploy" : marker.kind.replace("_", " ")} ${marker.label} ${actionText(marker.action)} by ${marker.actor ?? "unknown"} at ${formatClock(marker.at, timeZone)} — show diff`}
      aria-describedby={`marker-tip-${marker.id}`} className="cursor-pointer outline-none focus-visible:[&>rect]:stroke-slate-900"
      onMouseEnter={() => onShow(x)} onFocus={() => onShow(x)} onBlur={onHide}
      onKeyDown={(e) => { if (e.key === "Escape") onHide(); }}>
      <line x1={x} x2={x} y1={y - 4} y2={y} stroke={color} />
      <rect x={left} y={y - 17} width={w} height={14} rx={3} fill={color} stroke="white" strokeWidth={1} />
      <text x={left + 5} y={y - 7} fontSize={10} fontWeight={600} fill="white" pointerEvents="none">{text}</text>
    </g>
  );
}
