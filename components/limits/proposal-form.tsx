"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { PolicyLimitsJson, ProposedLimit, QuotaThrottleJson } from "./use-limits";

// Tyk's quota and throttle: optional, blank leaves the policy's own values as they are.
const EXTRAS = [
  ["quotaMax", "Quota"], ["quotaRenewalRate", "Quota renews (s)"], ["throttleInterval", "Throttle every (s)"], ["throttleRetryLimit", "Throttle retries"],
] as const satisfies readonly (readonly [keyof QuotaThrottleJson, string])[];
type Extras = Record<keyof QuotaThrottleJson, string>;
const extrasOf = (v: QuotaThrottleJson | null): Extras =>
  Object.fromEntries(EXTRAS.map(([f]) => [f, v?.[f] === undefined ? "" : String(v[f])])) as Extras;
// Only the filled fields are sent: the API checks them (pairs, positive integers) and names the field it refuses.
const extrasBody = (e: Extras): QuotaThrottleJson =>
  Object.fromEntries(EXTRAS.filter(([f]) => e[f].trim() !== "").map(([f]) => [f, Number(e[f])]));

const input = "rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal dark:border-slate-700 dark:bg-slate-950";

/** A limit to replay (and, for admins, review and apply): one of the endpoint's callers' policies, a rate per window. */
export function ProposalForm({ policies, apiId, value, onSubmit }: {
  policies: PolicyLimitsJson[]; apiId: string; value: ProposedLimit | null; onSubmit: (p: ProposedLimit) => void;
}) {
  const first = policies[0];
  const [policyId, setPolicyId] = useState(value?.policyId ?? first?.id ?? "");
  const [rate, setRate] = useState(String(value?.rate ?? first?.rate ?? 60));
  const [per, setPer] = useState(String(value?.per ?? first?.per ?? 60));
  const [extras, setExtras] = useState(extrasOf(value));
  const [shown, setShown] = useState(value);
  // A recommendation picked above fills the form.
  if (value !== shown) {
    setShown(value);
    if (value) {
      setPolicyId(value.policyId);
      setRate(String(value.rate));
      setPer(String(value.per));
      setExtras(extrasOf(value));
    }
  }
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const p = policies.find((x) => x.id === policyId);
    if (!p) return;
    const multi = p.apiIds.length > 1;
    onSubmit({ policyId, scope: multi ? "api" : "policy", ...(multi ? { apiId } : {}), rate: Number(rate), per: Number(per), baseVersion: p.version, ...extrasBody(extras) });
  };
  if (!policies.length) return null;
  return (
    <form onSubmit={submit} aria-label="Proposed limit" className="flex flex-wrap items-end gap-2 text-xs font-medium text-slate-600 dark:text-slate-300">
      <label className="flex flex-col gap-1">Policy
        <select value={policyId} onChange={(e) => setPolicyId(e.target.value)} className={input}>
          {policies.map((p) => <option key={p.id} value={p.id}>{p.name} (now {p.rate && p.rate > 0 ? `${p.rate} per ${p.per} s` : "unlimited"})</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1">Rate<input value={rate} onChange={(e) => setRate(e.target.value)} inputMode="decimal" className={`${input} w-24`} /></label>
      <label className="flex flex-col gap-1">Per (s)<input value={per} onChange={(e) => setPer(e.target.value)} inputMode="decimal" className={`${input} w-20`} /></label>
      {EXTRAS.map(([field, label]) => (
        <label key={field} className="flex flex-col gap-1">{label}
          <input value={extras[field]} onChange={(e) => setExtras({ ...extras, [field]: e.target.value })} inputMode="numeric" placeholder="unchanged" className={`${input} w-28`} />
        </label>
      ))}
      <Button type="submit">Replay</Button>
    </form>
  );
}
