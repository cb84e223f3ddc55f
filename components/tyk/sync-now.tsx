"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatCount, formatDuration, formatRelative } from "@/lib/format";
import type { StageStatus, SyncRunView, SyncStatus } from "@/lib/queries/sync-status";
import { useStartSync, useSyncStatus } from "./use-sync-status";

const TONE: Record<string, Tone> = { running: "info", succeeded: "good", partial: "warn", failed: "bad", never: "neutral" };
const LABEL: Record<string, string> = { tyk: "Tyk", analytics: "Analytics", traces: "Traces" };

function countsText(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0).slice(0, 6);
  return entries.map(([k, n]) => `${k.replace(/_/g, " ")} ${formatCount(n)}`).join(" · ");
}

function timing(stage: StageStatus, run: SyncRunView | undefined): string {
  const budget = stage.budgetMs !== null ? ` of a ${formatDuration(stage.budgetMs)} budget` : "";
  if (stage.state === "running") return `running for ${formatDuration(stage.runningForMs ?? 0)}${budget}`;
  if (!run) return stage.nextRunAt ? `first run ${formatRelative(stage.nextRunAt)}` : "not configured or not run yet";
  const took = stage.lastDurationMs !== null ? ` · took ${formatDuration(stage.lastDurationMs)}` : "";
  const next = stage.nextRunAt ? ` · next ${formatRelative(stage.nextRunAt)}` : "";
  const who = run.trigger === "manual" && run.actor ? ` · by ${run.actor}` : ` · ${run.trigger}`;
  return `finished ${formatRelative(run.finishedAt ?? run.startedAt)}${took}${who}${next}`;
}

function StageRow({ stage, run }: { stage: StageStatus; run: SyncRunView | undefined }) {
  const p = run?.progress ?? {};
  const running = stage.state === "running";
  const pct = running && p.total ? Math.min(100, Math.round(((p.done ?? 0) / p.total) * 100)) : null;
  return (
    <li className="py-2 text-sm" data-testid={`sync-run-${stage.kind}`} data-state={stage.state}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-20 font-medium">{LABEL[stage.kind] ?? stage.kind}</span>
        <Badge tone={TONE[stage.state] ?? "neutral"}>{stage.state === "never" ? "not run" : stage.state}</Badge>
        <span className="text-xs text-slate-600 dark:text-slate-300" data-testid={`sync-timing-${stage.kind}`}>{timing(stage, run)}</span>
        {stage.overBudget && <Badge tone="bad">over budget</Badge>}
      </div>
      {running && (
        <div className="mt-1.5">
          <div className="text-xs text-slate-600 dark:text-slate-300" data-testid={`sync-progress-${stage.kind}`}>
            {p.step ?? "starting"}{p.total ? ` — ${p.done ?? 0} / ${p.total}` : ""}
          </div>
          {pct !== null && (
            <div role="progressbar" aria-label={`${LABEL[stage.kind] ?? stage.kind} sync progress`} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}
              className="mt-1 h-1.5 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800">
              <div className="h-full bg-brand-500 transition-all" style={{ width: `${pct}%` }} />
            </div>
          )}
        </div>
      )}
      {run && countsText(run.counts) && <div className="mt-1 text-xs text-slate-600 dark:text-slate-300">{countsText(run.counts)}</div>}
      {run && run.errors.length > 0 && (
        <ul className="mt-1 text-xs text-red-700 dark:text-red-300">
          {run.errors.slice(0, 3).map((e, i) => <li key={i}>{e.step}: {e.message}</li>)}
          {run.errors.length > 3 && <li>… {run.errors.length - 3} more</li>}
        </ul>
      )}
    </li>
  );
}

/** "Sync now" and the live progress of every sync kind. Refreshes the page's server data when a run ends. */
export function SyncNow({ initial, canRun }: { initial: SyncStatus; canRun: boolean }) {
  const [followUntil, setFollowUntil] = useState(0);
  const status = useSyncStatus({ initial, followUntil });
  const start = useStartSync(() => setFollowUntil(Date.now() + 8000));
  const router = useRouter();
  const wasRunning = useRef(initial.running);
  const running = status.data?.running ?? false;

  useEffect(() => {
    if (wasRunning.current && !running) router.refresh();
    wasRunning.current = running;
  }, [running, router]);

  const runs = status.data?.latest ?? [];
  const stages = status.data?.stages ?? [];
  return (
    <section aria-label="Sync" className="rounded-2xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-sm font-semibold text-slate-700 dark:text-slate-200">Sync</h2>
        {canRun && (
          <Button variant="primary" onClick={() => start.mutate()} disabled={start.isPending || running} aria-describedby="sync-live">
            {running ? "Syncing…" : start.isPending ? "Starting…" : "Sync now"}
          </Button>
        )}
      </div>
      <div id="sync-live" aria-live="polite" className="sr-only">{running ? "Sync running" : "Sync idle"}</div>
      {start.error && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">{start.error.message}</p>}
      {runs.length ? (
        <ul className="mt-1 divide-y divide-slate-100 dark:divide-slate-800">
          {stages.map((st) => <StageRow key={st.kind} stage={st} run={runs.find((r) => r.kind === st.kind)} />)}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-500">No sync has run yet.</p>
      )}
    </section>
  );
}
