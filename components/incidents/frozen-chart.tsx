"use client";

// The frozen latency chart: the same lines and markers as the endpoint page, read-only (no brush):
// the analysed window and the spike shaded, the chart cropped around the window.
import { Bar, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTooltip } from "@/components/endpoint/chart-tooltip";
import { formatMs } from "@/lib/format";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { floorMinute, HOUR, type ChartRow, type Range } from "@/lib/queries/endpoint-page-window";

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The rows to draw: the analysed window padded by its own length (at least an hour) each side. */
export function cropRows(rows: ChartRow[], window: Range): ChartRow[] {
  const pad = Math.max(HOUR, window.to - window.from);
  return rows.filter((r) => r.ts >= window.from - pad && r.ts < window.to + pad);
}

export function FrozenChart({ rows, window, spike, markers, suspectChangeIds }: {
  rows: ChartRow[]; window: Range; spike: Range | null; markers: ChangeMarker[]; suspectChangeIds: Set<string>;
}) {
  const shown = cropRows(rows, window);
  const first = shown[0]?.ts ?? window.from, last = shown.at(-1)?.ts ?? window.to;
  const visible = markers.filter((m) => m.at >= first && m.at <= last);
  return (
    <div className="h-72 w-full" role="img"
      aria-label={`Latency (p50, p95, p99) and requests per minute, ${hhmm(first)}–${hhmm(last)} UTC, as frozen; the analysed window and the spike are shaded, ${visible.length} access changes marked`}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={shown} margin={{ top: 12, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" vertical={false} />
          <XAxis dataKey="ts" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={hhmm} tick={{ fontSize: 11 }} stroke="currentColor" className="text-slate-500" />
          <YAxis yAxisId="ms" tickFormatter={(v: number) => formatMs(v)} tick={{ fontSize: 11 }} width={60} stroke="currentColor" className="text-slate-500" />
          <YAxis yAxisId="n" orientation="right" tick={{ fontSize: 11 }} width={40} stroke="currentColor" className="text-slate-500" />
          <Tooltip content={<ChartTooltip />} isAnimationActive={false} />
          <ReferenceArea yAxisId="ms" x1={window.from} x2={window.to} ifOverflow="hidden" fill="#2f6fed" fillOpacity={0.06} />
          {spike && (
            <ReferenceArea yAxisId="ms" x1={spike.from} x2={spike.to} ifOverflow="hidden" fill="#ef4444" fillOpacity={0.12} stroke="#ef4444" strokeOpacity={0.3}
              label={{ value: "spike", position: "insideTopRight", fill: "#ef4444", fontSize: 11 }} />
          )}
          <Bar yAxisId="n" dataKey="count" name="requests" fill="#94a3b8" fillOpacity={0.35} isAnimationActive={false} />
          <Line yAxisId="ms" dataKey="p50" name="p50" stroke="#94a3b8" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
          <Line yAxisId="ms" dataKey="p95" name="p95" stroke="#8b5cf6" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
          <Line yAxisId="ms" dataKey="p99" name="p99" stroke="#2f6fed" dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
          {visible.map((m) => (
            <ReferenceLine key={m.id} yAxisId="ms" x={floorMinute(m.at)} stroke={suspectChangeIds.has(m.id) ? "#dc2626" : "#d97706"} strokeDasharray="4 2"
              strokeWidth={suspectChangeIds.has(m.id) ? 2 : 1} />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
