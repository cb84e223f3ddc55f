"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { RequestOptionsJson } from "./use-access-requests";
import { useCreateAccessRequest } from "./use-access-requests";

const input = "rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal dark:border-slate-700 dark:bg-slate-950";

/** Asks for temporary access: an offered policy or chosen APIs, why, and for how long (up to the maximum). */
export function NewRequestForm({ options, onKey }: { options: RequestOptionsJson; onKey: (requestId: string, label: string, key: string) => void }) {
  const create = useCreateAccessRequest();
  const [mode, setMode] = useState<"policy" | "apis">(options.offers.length ? "policy" : "apis");
  const [policyId, setPolicyId] = useState(options.offers[0]?.policyId ?? "");
  const [apiIds, setApiIds] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState(60);
  const max = mode === "policy" ? (options.offers.find((o) => o.policyId === policyId)?.maxMinutes ?? 0) : options.apiMaxMinutes;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body = mode === "policy" ? { policyId, reason, durationMinutes: minutes } : { apiIds, reason, durationMinutes: minutes };
    create.mutate(body, {
      onSuccess: (r) => {
        setReason("");
        if (r.key) onKey(r.request.id, r.request.targetLabel, r.key);
      },
    });
  };

  return (
    <Card title="Request temporary access">
      <form onSubmit={submit} className="flex flex-col gap-3 text-sm" aria-label="New access request">
        <fieldset className="flex gap-4 text-xs font-medium">
          <legend className="sr-only">What for</legend>
          <label className="flex items-center gap-1.5"><input type="radio" name="mode" checked={mode === "policy"} onChange={() => setMode("policy")} disabled={!options.offers.length} /> An offered policy</label>
          <label className="flex items-center gap-1.5"><input type="radio" name="mode" checked={mode === "apis"} onChange={() => setMode("apis")} /> Chosen APIs</label>
        </fieldset>
        {mode === "policy" ? (
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
            Policy
            <select name="policyId" value={policyId} onChange={(e) => setPolicyId(e.target.value)} className={input} aria-label="Policy">
              {options.offers.map((o) => <option key={o.policyId} value={o.policyId}>{o.name} — up to {o.maxMinutes} min{o.description ? ` · ${o.description}` : ""}</option>)}
            </select>
          </label>
        ) : (
          <fieldset className="flex max-h-40 flex-col gap-1 overflow-auto rounded-lg border border-slate-200 p-2 dark:border-slate-700">
            <legend className="px-1 text-xs font-medium text-slate-600 dark:text-slate-300">APIs (up to {options.apiMaxMinutes} min)</legend>
            {options.apis.map((a) => (
              <label key={a.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={apiIds.includes(a.id)} onChange={() => setApiIds((cur) => (cur.includes(a.id) ? cur.filter((x) => x !== a.id) : [...cur, a.id]))} />
                {a.name}
              </label>
            ))}
          </fieldset>
        )}
        {!options.offers.length && mode === "policy" && <p className="text-xs text-slate-500">No policy is offered yet: an admin offers policies under Settings › Access.</p>}
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Reason
          <textarea name="reason" required minLength={3} maxLength={500} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. INC-1234: check order lookups for a customer" className={input} />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Duration (minutes, at most {max})
          <input name="durationMinutes" type="number" min={5} max={max || undefined} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} className={`${input} w-32`} />
        </label>
        <div>
          <Button type="submit" variant="primary" disabled={create.isPending || reason.trim().length < 3 || (mode === "apis" ? !apiIds.length : !policyId)}>
            {create.isPending ? "Requesting…" : "Request access"}
          </Button>
        </div>
        {create.isError && <p role="alert" className="text-xs text-red-700 dark:text-red-300">{create.error.message}</p>}
        {create.data && !create.data.key && (
          <p role="status" className="text-xs text-slate-600 dark:text-slate-300">
            {create.data.request.status === "pending" ? "Requested: waiting for an approver. This page shows your key as soon as it is approved." : create.data.request.lastError ?? `Request ${create.data.request.status}.`}
          </p>
        )}
      </form>
    </Card>
  );
}
