import { formatMs } from "@/lib/format";
import type { Waterfall } from "@/lib/queries/traces-model";

const LABEL_WIDTH = "w-[22rem]";

/** Span waterfall: one row per span with its offset/duration bar; each row opens to its attributes. */
export function WaterfallView({ waterfall }: { waterfall: Waterfall }) {
  return (
    <div role="list" aria-label="Spans" className="overflow-hidden rounded-2xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="flex border-b border-slate-200 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
        <span className={`${LABEL_WIDTH} shrink-0`}>Service · span</span>
        <span className="flex flex-1 justify-between">
          <span>0 ms</span>
          <span>{formatMs(waterfall.durationMs)}</span>
        </span>
      </div>
      {waterfall.rows.map((r) => (
        <details key={r.spanId} role="listitem" data-testid="span-row" className="group border-b border-slate-100 last:border-0 dark:border-slate-800">
          <summary className="flex cursor-pointer list-none items-center px-4 py-1.5 hover:bg-slate-50 focus-visible:bg-slate-50 dark:hover:bg-slate-800/40 dark:focus-visible:bg-slate-800/40">
            <span className={`${LABEL_WIDTH} flex shrink-0 items-center gap-2 truncate text-sm`} style={{ paddingLeft: `${r.depth * 1}rem` }}>
              <span aria-hidden="true" className="text-slate-500 transition-transform group-open:rotate-90">›</span>
              {r.isError && (
                <span className="rounded bg-red-100 px-1 text-[10px] font-semibold uppercase text-red-800 dark:bg-red-950 dark:text-red-200" title="This span recorded an error">
                  error
                </span>
              )}
              <span className="text-xs text-slate-500 dark:text-slate-400">{r.service}</span>
              <span className="truncate font-mono text-xs">{r.name}</span>
            </span>
            <span className="relative h-5 flex-1" aria-label={`starts at ${formatMs(r.offsetMs)}, takes ${formatMs(r.durationMs)}`}>
              <span
                className={`absolute top-1 h-3 rounded-sm ${r.isError ? "bg-red-500 dark:bg-red-400" : r.depth === 0 ? "bg-brand-600 dark:bg-blue-400" : "bg-brand-500/70 dark:bg-blue-300/70"}`}
                style={{ left: `${r.left * 100}%`, width: `max(2px, ${r.width * 100}%)` }}
              />
              <span
                className="absolute top-0.5 whitespace-nowrap pl-1 text-[11px] text-slate-600 dark:text-slate-300"
                style={r.left + r.width > 0.8 ? { right: `${(1 - r.left) * 100}%`, paddingRight: "0.25rem" } : { left: `${(r.left + r.width) * 100}%` }}
              >
                {formatMs(r.durationMs)}
              </span>
            </span>
          </summary>
          <dl className="grid grid-cols-[minmax(10rem,max-content)_1fr] gap-x-4 gap-y-0.5 bg-slate-50 px-8 py-3 text-xs dark:bg-slate-950/40">
            {Object.entries(r.attributes)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="font-mono text-slate-500 dark:text-slate-400">{k}</dt>
                  <dd className="break-all font-mono">{String(v)}</dd>
                </div>
              ))}
          </dl>
        </details>
      ))}
    </div>
  );
}
