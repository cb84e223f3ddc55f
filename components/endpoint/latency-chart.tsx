"use client";

// The latency chart: p50/p95/p99 lines over volume bars, the spike shaded, access changes drawn as
// markers (hover or focus one for what changed, by whom, and the diff) and a brush over the whole
// context that chooses the analysed window. Only the recharts pieces used are imported (the package is side-effect free, so the rest is shaken out).
import { useState } from "react";
import { Bar, Brush, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMs } from "@/lib/format";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { floorMinute, windowOf, type ChartRow, type Range } from "@/lib/queries/endpoint-page-window";
import { ChangeSummary } from "./change-summary";
import { ChartTooltip } from "./chart-tooltip";
import { actionText } from "./suspect-model";

export interface LatencyChartProps {
  rows: ChartRow[];
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
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

export function LatencyChart({ rows, selection, spike, markers, suspectChangeIds, onSelect, highlight, label }: LatencyChartProps) {
  const [brush, setBrush] = useState(selection);
  const [active, setActive] = useState<{ marker: ChangeMarker; x: number } | null>(null);
  const [shown, setShown] = useState(selection);
  if (shown.startIndex !== selection.startIndex || shown.endIndex !== selection.endIndex) {
    // A new analysed window arrived (URL, form, back button): move the brush to it.
    setShown(selection);
    setBrush(selection);
  }
  const gridFrom = rows[0]?.ts ?? 0;
  const commit = (r: { startIndex?: number; endIndex?: number }) => {
    if (r.startIndex == null || r.endIndex == null) return;
    setBrush({ startIndex: r.startIndex, endIndex: r.endIndex });
    if (r.startIndex !== selection.startIndex || r.endIndex !== selection.endIndex) onSelect?.(windowOf(r.startIndex, r.endIndex, gridFrom));
  };

  return (
    <div className="relative" onMouseLeave={() => setActive(null)}>
      <div className={`${onSelect ? "h-80" : "h-72"} w-full`} role="figure" aria-label={label ?? "Latency (p50, p95, p99) and request volume per minute, with access changes marked"}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 22, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" vertical={false} />
            <XAxis dataKey="ts" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={hhmm} tick={{ fontSize: 11 }} stroke="currentColor" className="text-slate-500" />
            <YAxis yAxisId="ms" tickFormatter={(v: number) => formatMs(v)} tick={{ fontSize: 11 }} width={60} stroke="currentColor" className="text-slate-500" />
            <YAxis yAxisId="n" orientation="right" tick={{ fontSize: 11 }} width={40} stroke="currentColor" className="text-slate-500" />
            <Tooltip content={<ChartTooltip />} isAnimationActive={false} />
            {highlight && <ReferenceArea yAxisId="ms" x1={highlight.from} x2={highlight.to} ifOverflow="hidden" fill="#2f6fed" fillOpacity={0.06} />}
            {spike && (
              <ReferenceArea yAxisId="ms" x1={spike.from} x2={spike.to} ifOverflow="hidden" fill="#ef4444" fillOpacity={0.12} stroke="#ef4444" strokeOpacity={0.3}
                label={{ value: "spike", position: "insideTopRight", fill: "#ef4444", fontSize: 11 }} />
            )}
            <Bar yAxisId="n" dataKey="count" name="requests" fill="#94a3b8" fillOpacity={0.35} isAnimationActive={false} />
            <Line yAxisId="ms" dataKey="p50" name="p50" stroke="#94a3b8" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            <Line yAxisId="ms" dataKey="p95" name="p95" stroke="#8b5cf6" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            <Line yAxisId="ms" dataKey="p99" name="p99" stroke="#2f6fed" dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
            {markers.map((m) => {
              const hot = suspectChangeIds.has(m.id);
              const color = hot ? "#dc2626" : m.kind === "deploy" ? "#7c3aed" : "#d97706";
              return (
                <ReferenceLine key={m.id} yAxisId="ms" x={floorMinute(m.at)} stroke={color} strokeDasharray="4 2" strokeWidth={hot ? 2 : 1}
                  // An element, not a function: recharts makes a label function a component type, a new
                  // one each render, so the focused flag was remounted and focus fell back to the first.
                  label={<MarkerFlag color={color} marker={m} onShow={(x) => setActive({ marker: m, x })} onHide={() => setActive(null)} />} />
              );
            })}
            {onSelect && <Brush dataKey="ts" height={36} fill="rgba(148, 163, 184, 0.08)" startIndex={brush.startIndex} endIndex={brush.endIndex} tickFormatter={hhmm} stroke="#2f6fed"
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
          className="pointer-events-none absolute top-0 z-10 w-80 -translate-x-1/2 rounded-xl border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          style={{ left: Math.max(160, active.x), top: 28 }}>
          <ChangeSummary change={active.marker} />
        </div>
      )}
    </div>
  );
}

const MARKER_LETTER: Record<string, string> = { policy: "P", key: "K", api: "A", oauth_client: "O", deploy: "D" };

function MarkerFlag({ viewBox, color, marker, onShow, onHide }: { viewBox?: { x?: number; y?: number }; color: string; marker: ChangeMarker; onShow: (x: number) => void; onHide: () => void }) {
  const x = viewBox?.x ?? 0, y = viewBox?.y ?? 0;
  return (
    <g tabIndex={0} role="button" aria-label={`${marker.kind} ${marker.label} ${actionText(marker.action)} by ${marker.actor ?? "unknown"} — show diff`}
      aria-describedby={`marker-tip-${marker.id}`} className="cursor-pointer outline-none focus-visible:[&>circle]:stroke-brand-500"
      onMouseEnter={() => onShow(x)} onFocus={() => onShow(x)} onBlur={onHide}
      onKeyDown={(e) => { if (e.key === "Escape") onHide(); }}>
      <circle cx={x} cy={y - 10} r={7} fill={color} stroke="white" strokeWidth={2} />
      <text x={x} y={y - 6.5} textAnchor="middle" fontSize={9} fontWeight={700} fill="white" pointerEvents="none">
        {MARKER_LETTER[marker.kind] ?? "O"}
      </text>
    </g>
  );
}
