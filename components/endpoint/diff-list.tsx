import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { diffValue } from "./suspect-model";

/** A change's field-level diff: path, before → after. */
export function DiffList({ diff, empty = "No field-level diff recorded for this change." }: { diff: ChangeMarker["diff"]; empty?: string }) {
  if (!diff.length) return <p className="text-xs text-slate-500 dark:text-slate-400">{empty}</p>;
  return (
    <dl className="space-y-1 font-mono text-xs" aria-label="Diff">
      {diff.map((d) => (
        <div key={d.path} className="flex flex-wrap items-baseline gap-x-2">
          <dt className="text-slate-500 dark:text-slate-400">{d.path}</dt>
          <dd>
            <span className="rounded bg-red-50 px-1 text-red-800 line-through decoration-red-400/60 dark:bg-red-950 dark:text-red-200">{diffValue(d.before)}</span>
            <span aria-hidden="true" className="px-1 text-slate-400">→</span>
            <span className="sr-only"> changed to </span>
            <span className="rounded bg-emerald-50 px-1 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">{diffValue(d.after)}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
