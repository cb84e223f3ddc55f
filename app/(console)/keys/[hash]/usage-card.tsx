import { Card } from "@/components/ui/card";
import { formatCount, formatMs, formatPercent, formatUtc } from "@/lib/format";
import type { KeyUsage } from "@/lib/queries/keys";

const SOURCE_LABEL: Record<KeyUsage["source"], string> = {
  requests: "from gateway request records",
  activity: "from Tyk Dashboard analytics (hourly)",
  none: "",
};

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="font-mono text-lg text-slate-900 dark:text-slate-100">{value}</dd>
    </div>
  );
}

/** Requests per hour as bars; the hour-by-hour numbers are in the table below it for screen readers and exact reading. */
function HourBars({ usage }: { usage: KeyUsage }) {
  const slots = 24;
  const byHour = new Map(usage.hours.map((h) => [h.hour.getTime(), h]));
  const start = usage.since.getTime();
  const max = Math.max(1, ...usage.hours.map((h) => h.hits));
  return (
    <svg viewBox={`0 0 ${slots * 10} 40`} className="h-12 w-full text-brand-600 dark:text-blue-400" preserveAspectRatio="none"
      role="img" aria-label={`Requests per hour since ${formatUtc(usage.since)}, peak ${formatCount(max)}`}>
      {Array.from({ length: slots }, (_, i) => {
        const h = byHour.get(start + i * 3_600_000);
        const height = h ? Math.max(1, (h.hits / max) * 40) : 0;
        const errShare = h && h.hits ? h.errors / h.hits : 0;
        return (
          <g key={i}>
            <rect x={i * 10 + 1} y={40 - height} width={8} height={height} className="fill-current" />
            {errShare > 0 && <rect x={i * 10 + 1} y={40 - height} width={8} height={height * errShare} className="fill-red-500" />}
          </g>
        );
      })}
    </svg>
  );
}

export function UsageCard({ usage }: { usage: KeyUsage }) {
  return (
    <Card title="Usage, last 24 h" className="lg:col-span-3"
      actions={usage.source !== "none" ? <span className="text-xs text-slate-500 dark:text-slate-400">{SOURCE_LABEL[usage.source]}</span> : undefined}>
      {usage.source === "none" ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No traffic recorded for this key in the last 24 hours.</p>
      ) : (
        <>
          <dl className="mb-3 grid grid-cols-3 gap-4">
            <Stat label="Requests" value={formatCount(usage.hits)} />
            <Stat label="Error rate (≥ 400)" value={usage.hits ? formatPercent(usage.errors / usage.hits, 1) : "—"} />
            <Stat label="Avg latency" value={formatMs(usage.avgMs)} />
          </dl>
          <HourBars usage={usage} />
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer rounded text-slate-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-slate-300">
              Hour by hour
            </summary>
            <table className="mt-2 w-full text-xs" aria-label="Requests per hour">
              <thead>
                <tr className="text-left text-slate-500 dark:text-slate-400">
                  <th className="py-1 font-medium">Hour (UTC)</th><th className="py-1 text-right font-medium">Requests</th>
                  <th className="py-1 text-right font-medium">Errors</th><th className="py-1 text-right font-medium">Avg latency</th>
                </tr>
              </thead>
              <tbody>
                {usage.hours.map((h) => (
                  <tr key={h.hour.toISOString()} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1">{formatUtc(h.hour)}</td>
                    <td className="py-1 text-right font-mono">{formatCount(h.hits)}</td>
                    <td className="py-1 text-right font-mono">{formatCount(h.errors)}</td>
                    <td className="py-1 text-right font-mono">{formatMs(h.avgMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </Card>
  );
}
