import { Time } from "@/components/ui/time";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { DiffList } from "./diff-list";
import { KIND_LABEL, actionText, actorText, timeSourceText } from "./suspect-model";

/** What changed, by whom, when (and how sure we are of the time), and the diff. */
export function ChangeSummary({ change }: { change: Pick<ChangeMarker, "kind" | "action" | "label" | "actor" | "at" | "timeSource" | "diff"> }) {
  return (
    <div className="space-y-2 text-sm">
      <p>
        <span className="font-semibold">{KIND_LABEL[change.kind] ?? change.kind}</span> <span className="font-mono">{change.label}</span>{" "}
        <span className="text-slate-500 dark:text-slate-400">{actionText(change.action)}</span>
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        by <span className="font-medium">{actorText(change.kind, change.actor)}</span> at <Time at={change.at} />
        {change.timeSource && <span className="block text-slate-500 dark:text-slate-400">{timeSourceText(change.timeSource)}</span>}
      </p>
      <DiffList diff={change.diff} />
    </div>
  );
}
