import { Card } from "@/components/ui/card";
import { formatCount, formatMs, formatPercent } from "@/lib/format";
import type { InvestigationJson } from "@/lib/investigation/result";
import { SuspectItem } from "./suspect-item";
import { chainText, formatQ, groupSuspects, readingText, type SuspectRow } from "./suspect-model";

/** "Who touched it": the verdict in plain words, its statistics one click away, then the causes ranked 1, 2, 3. */
export function SuspectsPanel({ investigation: inv, onOpen, busy }: { investigation: InvestigationJson; onOpen: (row: SuspectRow, opener: HTMLElement) => void; busy: boolean }) {
  const significant = groupSuspects(inv.suspects);
  const others = groupSuspects(inv.notSignificant);
  const reading = readingText(inv.verdict.reading);
  return (
    <Card title="Who touched it" actions={busy ? <span className="text-xs text-slate-600 dark:text-slate-300" role="status">Recomputing…</span> : undefined}>
      <div className="space-y-4" aria-busy={busy}>
        <div className="space-y-1">
          <p className="text-base font-medium" data-testid="verdict">{inv.verdict.summary}</p>
          {reading && <p className="text-sm text-slate-600 dark:text-slate-300">{reading}</p>}
          {inv.stats && <HowComputed inv={inv} rows={significant} />}
        </div>
        {inv.verdict.verdict === "no_spike" ? null : significant.length ? (
          <ol className="space-y-2" aria-label="Suspects, most likely first">
            {significant.map((row, i) => <SuspectItem key={`${row.lead.kind}:${row.lead.id}`} row={row} rank={i + 1} onOpen={onOpen} />)}
          </ol>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300">No touch explains a significant share of the excess.</p>
        )}
        {others.length > 0 && (
          <details className="group" data-testid="not-significant">
            <summary className="cursor-pointer text-sm font-medium text-slate-700 dark:text-slate-200">
              Not significant ({others.length}) — checked and not supported by the data
            </summary>
            <ol className="mt-2 space-y-2" aria-label="Not significant">
              {others.map((row, i) => <SuspectItem key={`${row.lead.kind}:${row.lead.id}`} row={row} rank={i + 1} onOpen={onOpen} />)}
            </ol>
          </details>
        )}
      </div>
    </Card>
  );
}

/** The statistics behind the sentence, for whoever asks "how do you know?". */
function HowComputed({ inv, rows }: { inv: InvestigationJson; rows: SuspectRow[] }) {
  const st = inv.stats!;
  return (
    <details className="text-sm" data-testid="how-computed">
      <summary className="cursor-pointer text-xs font-medium text-brand-700 dark:text-blue-300">How is this computed?</summary>
      <div className="mt-2 space-y-2 rounded-lg bg-slate-50 p-3 text-xs text-slate-700 dark:bg-slate-800/60 dark:text-slate-200">
        <p>
          {st.percentile} was {formatMs(st.qBaseline)} in the baseline ({formatCount(st.requestsBaseline)} requests) and {formatMs(st.qIncident)} during the
          spike ({formatCount(st.requestsIncident)} requests). With the baseline&apos;s mix of callers it would have been {formatMs(st.qReweighted)}: the
          rest of the rise is callers getting slower ({formatPercent(st.slowdownFraction)} of it).
        </p>
        <p>
          A suspect&apos;s share is how much of the rise disappears when its requests (or load, or slowdown) are taken out; the 90% interval comes
          from {formatCount(st.iterations)} bootstrap resamples of the requests, and q is the false-discovery-adjusted p-value: a suspect is significant when q ≤ 0.05, its interval lies above 0 and its share is not negligible.
        </p>
        {rows.length > 0 && (
          <ul className="space-y-0.5 font-mono">
            {rows.map((r, i) => (
              <li key={`${r.lead.kind}:${r.lead.id}`}>{i + 1}. {chainText(r)}: share {formatPercent(r.lead.share.point)} [{formatPercent(r.lead.share.lo)}–{formatPercent(r.lead.share.hi)}], q = {formatQ(r.lead.qValue)}</li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
