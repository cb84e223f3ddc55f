"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AutoMode } from "./auto-mode";
import { LimitReview } from "./limit-review";
import { limitText } from "@/lib/limits/policy-limit";
import { ProposalForm } from "./proposal-form";
import { ReplayView } from "./replay-view";
import {
  useApplyLimit, useEndpointLimits, useLimitChanges, useReplay, useRollbackLimit,
  type LimitChangeJson, type LimitValueJson, type ProposedLimit, type RecommendationJson,
} from "./use-limits";

const proposalOf = (r: RecommendationJson): ProposedLimit => ({
  policyId: r.policyId, scope: r.scope, ...(r.scope === "api" ? { apiId: r.apiId } : {}), rate: r.proposed.rate, per: r.proposed.per, baseVersion: r.baseVersion, reason: r.line,
  ...(r.quota ? { quotaMax: r.quota.quotaMax, quotaRenewalRate: r.quota.quotaRenewalRate } : {}),
  ...(r.throttle ? { throttleInterval: r.throttle.throttleInterval, throttleRetryLimit: r.throttle.throttleRetryLimit } : {}),
});
const ACTION_TEXT = { apply: "applied", rollback: "rolled back", skip: "skipped" } as const;
const scopeText = (v: LimitValueJson) => (v.scope === "api" ? ` (API ${v.apiId})` : "");

/** Capacity at the objective, recommended Tyk limits with replay, and (admins) reviewed apply and rollback. */
export function LimitsPanel({ endpointId, canApply }: { endpointId: string; canApply: boolean }) {
  const limits = useEndpointLimits(endpointId);
  const changes = useLimitChanges(endpointId);
  const [selected, setSelected] = useState<ProposedLimit | null>(null);
  const replay = useReplay(endpointId, selected);
  const apply = useApplyLimit(endpointId);
  const rollback = useRollbackLimit(endpointId);
  const data = limits.data;
  const [picked, setPicked] = useState<ProposedLimit | null>(null);
  const choose = (p: ProposedLimit) => {
    apply.reset();
    setSelected(p);
  };

  return (
    <Card title="Capacity & limits" className="mt-6">
      {limits.isPending && <p className="text-sm text-slate-500">Reading the last 7 days…</p>}
      {limits.error && <p role="alert" className="text-sm text-red-700">{limits.error.message}</p>}
      {data && (
        <div className="flex flex-col gap-4 text-sm">
          <div>
            <p className="font-medium" data-testid="capacity-text">{data.capacityText}</p>
            <p className="text-xs text-slate-500">
              Objective p99 ≤ {data.objectiveMs === null ? "—" : `${Math.round(data.objectiveMs)} ms`} ({data.objectiveSource === "admin" ? "set by an admin" : "default: 2 × baseline p99"}
              {data.baselineP99 !== null && `, baseline ${Math.round(data.baselineP99)} ms`}) · headroom {Math.round(data.settings.headroom * 100)}% of capacity
            </p>
          </div>
          {data.note && <p className="text-slate-600 dark:text-slate-300">{data.note}</p>}
          {data.recommendations.length > 0 && (
            <ul className="flex flex-col gap-2" aria-label="Recommended limits">
              {data.recommendations.map((r) => (
                <li key={r.policyId} className="flex flex-wrap items-start justify-between gap-2 rounded-lg border border-slate-200 p-2 dark:border-slate-800">
                  <span className="flex min-w-0 flex-1 flex-col">
                    <span>{r.line}</span>
                    {r.quota && <span className="text-slate-600 dark:text-slate-300">{r.quota.line}</span>}
                    {r.throttle && <span className="text-slate-600 dark:text-slate-300">{r.throttle.line}</span>}
                  </span>
                  {(r.change === "lower" || r.quota || r.throttle) && (
                    <Button onClick={() => { setPicked(proposalOf(r)); choose(proposalOf(r)); }} aria-label={`Replay ${r.name} at ${limitText(r.proposed)}`}>Replay</Button>
                  )}
                </li>
              ))}
            </ul>
          )}
          <ProposalForm policies={data.policies} apiId={data.apiId} value={picked} onSubmit={choose} />
          {selected && replay.data && <ReplayView replay={replay.data} />}
          {selected && replay.error && <p role="alert" className="text-red-700">{replay.error.message}</p>}
          {selected && canApply && (
            <div className="flex flex-col gap-2">
              <div className="flex gap-2">
                <Button onClick={() => apply.mutate({ ...selected, dryRun: true })} disabled={apply.isPending}>Review (dry run)</Button>
                {apply.data?.dryRun && (
                  <Button variant="primary" onClick={() => apply.mutate({ ...selected, dryRun: false })} disabled={apply.isPending}>Apply to Tyk</Button>
                )}
              </div>
              {apply.data && (apply.data.dryRun ? <LimitReview plan={apply.data.plan} /> : <p role="status">Applied: {apply.data.plan.name} is now {limitText(apply.data.plan.after)}.</p>)}
              {apply.error && <p role="alert" className="text-red-700">{apply.error.message}</p>}
            </div>
          )}
          <LimitChanges changes={changes.data?.changes ?? []} canApply={canApply} onRollback={(id) => rollback.mutate(id)} pending={rollback.isPending} />
          {rollback.error && <p role="alert" className="text-red-700">{rollback.error.message}</p>}
        </div>
      )}
      {/* Not behind the 7-day computation above: its state is one row. */}
      <div className="mt-4 text-sm"><AutoMode endpointId={endpointId} canChange={canApply} /></div>
    </Card>
  );
}

function LimitChanges({ changes, canApply, onRollback, pending }: {
  changes: LimitChangeJson[];
  canApply: boolean; onRollback: (id: string) => void; pending: boolean;
}) {
  if (!changes.length) return null;
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Limit changes</h3>
      <ul className="flex flex-col gap-1" aria-label="Limit changes">
        {changes.map((c) => (
          <li key={c.id} className="flex flex-wrap items-center justify-between gap-2">
            <span>
              {new Date(c.createdAt).toISOString().slice(0, 16).replace("T", " ")} · {c.automatic ? "automatically " : ""}{ACTION_TEXT[c.action]} {limitText(c.before)} → {limitText(c.after)}{scopeText(c.after)} by {c.actor} (version {c.version})
              {c.rolledBackBy && <span className="text-slate-500"> · rolled back</span>}
            </span>
            {canApply && c.action === "apply" && !c.rolledBackBy && (
              <Button variant="danger" onClick={() => onRollback(c.id)} disabled={pending}>Roll back</Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
