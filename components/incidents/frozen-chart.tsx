"use client";

// The frozen latency chart: the endpoint page's chart, read-only (no brush), markers keep their diffs:
// the analysed window and the spike shaded, the chart cropped around the window.
import { LatencyChart } from "@/components/endpoint/latency-chart";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { HOUR, type ChartRow, type Range } from "@/lib/queries/endpoint-page-window";

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
    <LatencyChart rows={shown} selection={{ startIndex: 0, endIndex: Math.max(0, shown.length - 1) }} spike={spike} markers={visible}
      suspectChangeIds={suspectChangeIds} highlight={window}
      label={`Latency (p50, p95, p99) and requests per minute, ${hhmm(first)}–${hhmm(last)} UTC, as frozen; the analysed window and the spike are shaded, ${visible.length} access changes marked`} />
  );
}
