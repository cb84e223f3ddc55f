import { Badge } from "@/components/ui/badge";
import { formatUtc } from "@/lib/format";
import { ShareBar } from "./share-bar";
import { formatQ, KIND_LABEL, reasonText, type SuspectRow } from "./suspect-model";

/** One ranked suspect: what it is, why it is suspected, its share of the excess; opens the evidence drawer. */
export function SuspectItem({ row, onOpen }: { row: SuspectRow; onOpen: (row: SuspectRow, opener: HTMLElement) => void }) {
  const s = row.lead;
  return (
    <li>
      <button type="button" onClick={(e) => onOpen(row, e.currentTarget)} aria-haspopup="dialog"
        data-testid="suspect" data-suspect-kind={s.kind}
        className="flex w-full flex-col gap-2 rounded-xl border border-slate-200 px-4 py-3 text-left transition-colors hover:border-brand-500 hover:bg-brand-50/40 dark:border-slate-800 dark:hover:border-blue-400 dark:hover:bg-slate-800/50">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-xs text-slate-500 dark:text-slate-400">#{s.rank}</span>
          <Badge tone={s.significant ? "bad" : "neutral"}>{KIND_LABEL[s.kind] ?? s.kind}</Badge>
          <span className="font-semibold" data-testid="suspect-label">{s.label}</span>
          {s.identity && s.identity.name !== s.label && <span className="text-sm text-slate-500 dark:text-slate-400">({s.identity.name})</span>}
          {!s.significant && <Badge tone="neutral">not significant</Badge>}
          {s.evidence.afterSpikeStart && <Badge tone="warn" title="Made after the spike began — often the mitigation">after the spike</Badge>}
        </div>
        <ShareBar share={s.share} significant={s.significant} />
        <p className="text-xs text-slate-600 dark:text-slate-300">
          {reasonText(s)}
          {s.changedAt && <> · changed {formatUtc(s.changedAt)}{s.actor ? ` by ${s.actor}` : ""}</>}
          {` · q = ${formatQ(s.qValue)}`}
        </p>
        {row.also.length > 0 && (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Same requests as {row.also.map((a) => `${(KIND_LABEL[a.kind] ?? a.kind).toLowerCase()} ${a.label}`).join(", ")}
          </p>
        )}
      </button>
    </li>
  );
}
