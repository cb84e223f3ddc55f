import { Badge, type Tone } from "@/components/ui/badge";
import { formatUtc } from "@/lib/format";
import type { HistoryItem } from "@/lib/queries/access-changes";
import { AuditEntries, ChangeAttribution } from "./change-attribution";
import { DiffTable } from "./diff-table";

const ACTION_TONE: Record<string, Tone> = { create: "good", update: "info", delete: "bad", revoke: "bad", rotate: "warn" };

function Entry({ title, badge, children, id }: { title: React.ReactNode; badge?: React.ReactNode; children?: React.ReactNode; id?: string }) {
  return (
    <li id={id} data-testid="history-item" className="relative border-l-2 border-slate-200 pb-6 pl-5 last:pb-0 dark:border-slate-700">
      <span className="absolute top-1.5 -left-[7px] h-3 w-3 rounded-full border-2 border-white bg-brand-500 dark:border-slate-900" aria-hidden="true" />
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {badge}
        {title}
      </div>
      {children && <div className="mt-2">{children}</div>}
    </li>
  );
}

/** Newest-first version history of one entity: each version's diff with who made it and when. */
export function HistoryList({ items, what }: { items: HistoryItem[]; what: string }) {
  if (!items.length) return <p className="text-sm text-slate-500">No history recorded yet.</p>;
  return (
    <ol aria-label={`${what} history`} className="ml-1.5">
      {items.map((item) => {
        if (item.type === "pre-sync") {
          const c = item.change;
          return (
            <Entry key={c.id} title={<ChangeAttribution change={c} />} badge={<><Badge tone="neutral">before first sync</Badge><Badge tone={ACTION_TONE[c.action] ?? "neutral"}>{c.action}</Badge></>}>
              <p className="text-xs text-slate-500 dark:text-slate-400">
                The audit log records this write, but it happened before Touchline&apos;s first sync, so there is no before/after to compare.
              </p>
              <AuditEntries change={c} />
            </Entry>
          );
        }
        const c = item.change;
        return (
          <Entry
            key={`v${item.version}`}
            id={`v${item.version}`}
            badge={
              <>
                <Badge tone="neutral">v{item.version}</Badge>
                {c ? <Badge tone={ACTION_TONE[c.action] ?? "neutral"}>{c.action}</Badge> : null}
              </>
            }
            title={
              c ? (
                <ChangeAttribution change={c} />
              ) : (
                <span className="text-slate-600 dark:text-slate-300">
                  snapshot taken by Touchline&apos;s first sync at <time dateTime={item.observedAt.toISOString()}>{formatUtc(item.observedAt)}</time>
                </span>
              )
            }
          >
            {c || (Array.isArray(item.diff) && item.diff.length) ? <DiffTable diff={c?.diff ?? item.diff} label={`Changes in version ${item.version}`} /> : null}
            {c ? <AuditEntries change={c} /> : null}
          </Entry>
        );
      })}
    </ol>
  );
}
