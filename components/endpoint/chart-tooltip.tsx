"use client";

import { formatCount, formatMs } from "@/lib/format";
import { formatTime, UTC } from "@/lib/time-format";
import { COLORS } from "./chart-legend";

interface Entry {
  dataKey?: string | number;
  value?: number | string | null;
}

/** The chart's hover card: the minute, its percentiles, last week's p99 and the request count. */
export function ChartTooltip({ active, payload, label, timeZone = UTC }: { active?: boolean; payload?: Entry[]; label?: number | string; timeZone?: string }) {
  if (!active || !payload?.length) return null;
  const value = (k: string) => {
    const v = payload.find((p) => p.dataKey === k)?.value;
    return typeof v === "number" ? v : null;
  };
  const weekAgo = payload.some((p) => p.dataKey === "p99WeekAgo");
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-xs shadow dark:border-slate-700 dark:bg-slate-900">
      <p className="mb-1 font-medium">{formatTime(Number(label), timeZone)}</p>
      <p><span style={{ color: COLORS.p99 }}>p99</span> {formatMs(value("p99"))}</p>
      <p><span style={{ color: COLORS.p95 }}>p95</span> {formatMs(value("p95"))}</p>
      <p><span style={{ color: COLORS.p50 }}>p50</span> {formatMs(value("p50"))}</p>
      {weekAgo && <p><span style={{ color: COLORS.weekAgo }}>p99 a week ago</span> {formatMs(value("p99WeekAgo"))}</p>}
      <p><span className="text-slate-600 dark:text-slate-300">requests / min</span> {formatCount(value("count"))}</p>
    </div>
  );
}
