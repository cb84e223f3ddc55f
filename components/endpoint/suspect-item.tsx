import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { ShareBar } from "./share-bar";
import { actionText, chainText, linkDetail, reasonText, typeText, type SuspectRow } from "./suspect-model";

/** One cause, ranked within its list: what it is (the whole chain), why, its share of the excess; opens the evidence drawer. */
export function SuspectItem({ row, rank, onOpen }: { row: SuspectRow; rank: number; onOpen: (row: SuspectRow, opener: HTMLElement) => void }) {
  const s = row.lead;
  const detail = linkDetail(row);
  const typeLine = [s, ...row.also].map(typeText).find((t) => t != null);
  const identity = [s, ...row.also].map((x) => x.identity).find((i) => i != null);
  const names = new Set([s, ...row.also].map((x) => x.label));
  return (
    <li>
      {/* A heading per cause for screen readers' heading navigation; it cannot sit inside the button. */}
      <h3 className="sr-only">{`${rank}. ${chainText(row)}`}</h3>
      <button type="button" onClick={(e) => onOpen(row, e.currentTarget)} aria-haspopup="dialog"
        data-testid="suspect" data-suspect-kind={s.kind} data-rank={rank}
        className="flex w-full flex-col gap-2 rounded-xl border border-slate-200 px-4 py-3 text-left transition-colors hover:border-brand-500 hover:bg-brand-50/40 dark:border-slate-800 dark:hover:border-blue-400 dark:hover:bg-slate-800/50">
        <div className="flex flex-wrap items-center gap-2">
          <span className="inline-flex h-6 min-w-6 items-center justify-center rounded-full bg-slate-100 px-1.5 text-xs font-semibold text-slate-700 dark:bg-slate-800 dark:text-slate-200" aria-label={`Rank ${rank}`}>{rank}</span>
          <span className="font-semibold" data-testid="suspect-label">{chainText(row)}</span>
          {s.action && s.kind === "access_change" && <Badge tone="neutral">{actionText(s.action)}</Badge>}
          {typeLine && <Badge tone="neutral">user type</Badge>}
          {identity && !names.has(identity.name) && <span className="text-sm text-slate-600 dark:text-slate-300">({identity.name})</span>}
          {!s.significant && <Badge tone="neutral">not significant</Badge>}
          {s.evidence.afterSpikeStart && <Badge tone="warn" title="Made after the spike began — often the mitigation">after the spike</Badge>}
        </div>
        <ShareBar share={s.share} significant={s.significant} />
        <p className="text-xs text-slate-600 dark:text-slate-300">
          {reasonText(s)}
          {s.changedAt && <> · changed <Time at={s.changedAt} />{s.actor ? ` by ${s.actor}` : ""}</>}
        </p>
        {typeLine && <p className="text-xs text-slate-700 dark:text-slate-200" data-testid="type-detail">{typeLine}</p>}
        {detail && <p className="text-xs text-slate-700 dark:text-slate-200" data-testid="link-detail">{detail}</p>}
      </button>
    </li>
  );
}
