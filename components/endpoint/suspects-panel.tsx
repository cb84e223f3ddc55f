import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { formatCount, formatMs } from "@/lib/format";
import type { InvestigationJson } from "@/lib/investigation/result";
import { SuspectItem } from "./suspect-item";
import { groupSuspects, readingText, type SuspectRow } from "./suspect-model";

/** "Who touched it": the verdict sentence, the mix/slowdown reading, then every ranked suspect. */
export function SuspectsPanel({ investigation: inv, onOpen, busy }: { investigation: InvestigationJson; onOpen: (row: SuspectRow, opener: HTMLElement) => void; busy: boolean }) {
  const significant = groupSuspects(inv.suspects);
  const others = groupSuspects(inv.notSignificant);
  const reading = readingText(inv.verdict.reading);
  const st = inv.stats;
  return (
    <Card title="Who touched it" actions={busy ? <span className="text-xs text-slate-500" role="status">Recomputing…</span> : undefined}>
      <div className="space-y-4" aria-busy={busy}>
        <div className="space-y-1">
          <p className="text-base font-medium" data-testid="verdict">{inv.verdict.summary}</p>
          {reading && <p className="text-sm text-slate-600 dark:text-slate-300">{reading}</p>}
          {st && (
            <p className="text-xs text-slate-500 dark:text-slate-400">
              {st.percentile} {formatMs(st.qBaseline)} before → {formatMs(st.qIncident)} during ({formatCount(st.requestsBaseline)} vs{" "}
              {formatCount(st.requestsIncident)} requests); with the usual caller mix it would be {formatMs(st.qReweighted)}.
            </p>
          )}
        </div>
        {inv.verdict.verdict === "no_spike" ? null : significant.length ? (
          <ol className="space-y-2" aria-label="Suspects, most likely first">
            {significant.map((row) => <SuspectItem key={`${row.lead.kind}:${row.lead.id}`} row={row} onOpen={onOpen} />)}
          </ol>
        ) : (
          <p className="text-sm text-slate-500 dark:text-slate-400">No touch explains a significant share of the excess.</p>
        )}
        {others.length > 0 && (
          <section aria-label="Not significant">
            <h3 className="mb-2 flex items-center gap-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
              Not significant <Badge>{others.length}</Badge>
            </h3>
            <ol className="space-y-2">
              {others.map((row) => <SuspectItem key={`${row.lead.kind}:${row.lead.id}`} row={row} onOpen={onOpen} />)}
            </ol>
          </section>
        )}
      </div>
    </Card>
  );
}
