import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { DiffList } from "./diff-list";
import { actionText, actorText, KIND_LABEL } from "./suspect-model";

/** The chart's markers in the analysed window as a list: readable without a pointer or a chart. */
export function ChangesList({ markers, suspectChangeIds }: { markers: ChangeMarker[]; suspectChangeIds: Set<string> }) {
  if (!markers.length) return <p className="text-xs text-slate-500 dark:text-slate-400">No access changes reached this endpoint in the analysed window.</p>;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-xs font-medium text-slate-600 dark:text-slate-300">
        {markers.length} access change{markers.length === 1 ? "" : "s"} in the analysed window
      </summary>
      <ul className="mt-2 space-y-3">
        {markers.map((m) => (
          <li key={m.id} className="rounded-lg border border-slate-100 px-3 py-2 dark:border-slate-800">
            <p className="flex flex-wrap items-center gap-2 text-xs">
              <Badge tone={suspectChangeIds.has(m.id) ? "bad" : "warn"}>{KIND_LABEL[m.kind] ?? m.kind}</Badge>
              <span className="font-mono">{m.label}</span> {actionText(m.action)} by {actorText(m.kind, m.actor)} at <Time at={m.at} />
              {m.timeSource === "first_seen" && <span className="text-slate-500">(first seen by sync)</span>}
            </p>
            <div className="mt-1"><DiffList diff={m.diff} /></div>
          </li>
        ))}
      </ul>
    </details>
  );
}
