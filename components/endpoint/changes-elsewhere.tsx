import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { SeriesView } from "@/lib/queries/endpoint-page-types";
import { actionText, actorText, KIND_LABEL } from "./suspect-model";

/** Changes of the charted range that cannot reach this endpoint: not drawn, listed here collapsed, so nothing is hidden. */
export function ChangesElsewhere({ elsewhere }: { elsewhere: SeriesView["elsewhere"] }) {
  if (!elsewhere?.count) return null;
  const more = elsewhere.count - elsewhere.changes.length;
  return (
    <details className="text-sm" data-testid="changes-elsewhere">
      <summary className="cursor-pointer text-xs font-medium text-slate-700 dark:text-slate-200">
        {elsewhere.count} change{elsewhere.count === 1 ? "" : "s"} elsewhere in this range (cannot reach this endpoint, not drawn)
      </summary>
      <ul className="mt-2 space-y-1 text-xs">
        {elsewhere.changes.map((m) => (
          <li key={m.id} className="flex flex-wrap items-center gap-2">
            <Badge tone="neutral">{KIND_LABEL[m.kind] ?? m.kind}</Badge>
            <span className="font-mono">{m.label}</span> {actionText(m.action)} by {actorText(m.kind, m.actor)} at <Time at={m.at} />
          </li>
        ))}
        {more > 0 && <li className="text-slate-600 dark:text-slate-300">and {more} more, older</li>}
      </ul>
    </details>
  );
}
