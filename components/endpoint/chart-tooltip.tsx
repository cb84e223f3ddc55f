"use client";

import { formatCount, formatMs, formatUtc } from "@/lib/format";

interface Entry {
  dataKey?: string | number;
  value?: number | string | null;
  color?: string;
}

/** The chart's hover card: the minute, its percentiles and request count. */
export function ChartTooltip({ active, payload, label }: { active?: boolean; payload?: Entry[]; label?: number | string }) {
  if (!active || !payload?.length) return null;
  const value = (k: string) => payload.find((p) => p.dataKey === k)?.value ?? null;
  const n = (v: number | string | null) => (typeof v === "number" ? v : null);
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-xs shadow dark:border-slate-700 dark:bg-slate-900">
      <p className="mb-1 font-medium">{formatUtc(Number(label))}</p>
      <p><span className="text-brand-600 dark:text-blue-300">p99</span> {formatMs(n(value("p99")))}</p>
      <p><span className="text-violet-600 dark:text-violet-300">p95</span> {formatMs(n(value("p95")))}</p>
      <p><span className="text-slate-500">p50</span> {formatMs(n(value("p50")))}</p>
      <p><span className="text-slate-500">requests</span> {formatCount(n(value("count")))}</p>
    </div>
  );
}
