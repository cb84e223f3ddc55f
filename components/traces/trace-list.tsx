import Link from "next/link";
import { Card } from "@/components/ui/card";
import { formatMs, formatUtc } from "@/lib/format";
import type { TraceList } from "@/lib/queries/endpoint-traces";

/** The endpoint's slowest stored traces around the one on screen; the current one is marked. */
export function TraceListCard({ list, endpointLabel, currentSpanId }: { list: TraceList; endpointLabel: string; currentSpanId: string }) {
  return (
    <Card title={`Slowest traces of ${endpointLabel}`}>
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-300">{formatUtc(list.from)} – {formatUtc(list.to)}</p>
      {list.traces.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">No stored traces in this window.</p>
      ) : (
        <ol aria-label="Slowest traces, slowest first" className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="trace-list">
          {list.traces.map((t) => {
            const current = t.spanId === currentSpanId;
            return (
              <li key={t.spanId} className="flex items-baseline justify-between gap-2 py-1.5">
                <Link href={`/traces/${encodeURIComponent(t.spanId)}`} aria-current={current ? "page" : undefined}
                  className={`tabular-nums hover:underline ${current ? "font-semibold text-slate-900 dark:text-white" : "text-brand-700 dark:text-blue-300"}`}>
                  {formatMs(t.durationMs)}{t.isError ? " · error" : ""}
                </Link>
                <span className="truncate text-xs text-slate-600 dark:text-slate-300">{t.keyAlias ?? "no key"} · {formatUtc(t.ts).slice(11, 16)}</span>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
