"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useAutoState, useEvaluateNow, useSaveAutoSettings, type AutoSettingsBody, type AutoSettingsJson } from "./use-auto-limits";

const input = "rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal dark:border-slate-700 dark:bg-slate-950";
const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const KIND_TEXT: Record<string, string> = { none: "no change", change: "changed", skip: "skipped", rollback: "rolled back", keep: "kept", wait: "waiting", error: "error" };

/** Automatic mode's state on the endpoint page; admins turn it on or off and set its bounds. */
export function AutoMode({ endpointId, canChange }: { endpointId: string; canChange: boolean }) {
  const state = useAutoState(endpointId);
  const save = useSaveAutoSettings(endpointId);
  const evaluate = useEvaluateNow(endpointId);
  const s = state.data;
  if (!s) {
    return (
      <section aria-label="Automatic mode" className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        {state.error ? <p role="alert" className="text-red-700">{state.error.message}</p> : <p className="text-slate-500">Reading automatic mode…</p>}
      </section>
    );
  }
  const st = s.settings;
  return (
    <section aria-label="Automatic mode" className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <h3 className="flex items-center gap-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Automatic mode <Badge tone={st.enabled ? "good" : "neutral"}>{st.enabled ? "on" : "off"}</Badge>
      </h3>
      {s.killSwitch && (
        <p role="status" className="rounded-md bg-amber-50 px-2 py-1 text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Kill switch on{s.killSwitchBy ? ` (${s.killSwitchBy})` : ""}: nothing automatic writes to Tyk, on any endpoint.
        </p>
      )}
      <p data-testid="auto-state">
        {st.configured
          ? `Bounds ${st.minPerMin}–${st.maxPerMin} req/min · step ≤ ${Math.round(st.maxStep * 100)}% · cooldown ${st.cooldownMinutes} min · every ${st.intervalMinutes} min · self-rollback check after ${st.rollbackMinutes} min`
          : "Not set up: an admin sets the bounds and turns it on."}
        {s.nextEvaluationAt && ` · next evaluation ${utc(s.nextEvaluationAt)}`}
      </p>
      {s.lastDecisions.length > 0 && (
        <div>
          <p className="text-xs text-slate-500">Last decision{s.evaluatedAt ? ` (${utc(s.evaluatedAt)})` : ""}:</p>
          <ul aria-label="Last automatic decisions" className="flex flex-col gap-0.5">
            {s.lastDecisions.map((d, i) => (
              <li key={i}><Badge tone={d.kind === "rollback" || d.kind === "error" ? "bad" : d.kind === "change" || d.kind === "skip" ? "warn" : "neutral"}>{KIND_TEXT[d.kind] ?? d.kind}</Badge> {d.policyName ? `${d.policyName}: ` : ""}{d.reason}</li>
            ))}
          </ul>
        </div>
      )}
      {canChange && (
        <>
          <AutoSettingsForm settings={st} pending={save.isPending} onSave={(b) => save.mutate(b)} />
          {save.error && <p role="alert" className="text-red-700">{save.error.message}</p>}
          {st.enabled && (
            <div><Button onClick={() => evaluate.mutate()} disabled={evaluate.isPending}>Evaluate now</Button></div>
          )}
          {evaluate.error && <p role="alert" className="text-red-700">{evaluate.error.message}</p>}
        </>
      )}
    </section>
  );
}

function AutoSettingsForm({ settings, pending, onSave }: { settings: AutoSettingsJson; pending: boolean; onSave: (b: AutoSettingsBody) => void }) {
  const [v, setV] = useState(() => ({
    enabled: settings.enabled, minPerMin: settings.configured ? String(settings.minPerMin) : "", maxPerMin: settings.configured ? String(settings.maxPerMin) : "",
    maxStep: String(Math.round(settings.maxStep * 100)), cooldownMinutes: String(settings.cooldownMinutes), intervalMinutes: String(settings.intervalMinutes), rollbackMinutes: String(settings.rollbackMinutes),
  }));
  const field = (name: Exclude<keyof typeof v, "enabled">, label: string, width = "w-20") => (
    <label className="flex flex-col gap-1">{label}
      <input value={v[name]} onChange={(e) => setV({ ...v, [name]: e.target.value })} inputMode="decimal" className={`${input} ${width}`} />
    </label>
  );
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    onSave({
      enabled: v.enabled, minPerMin: Number(v.minPerMin), maxPerMin: Number(v.maxPerMin), maxStep: Number(v.maxStep) / 100,
      cooldownMinutes: Number(v.cooldownMinutes), intervalMinutes: Number(v.intervalMinutes), rollbackMinutes: Number(v.rollbackMinutes),
    });
  };
  return (
    <form onSubmit={submit} aria-label="Automatic mode settings" className="flex flex-wrap items-end gap-2 text-xs font-medium text-slate-600 dark:text-slate-300">
      <label className="flex items-center gap-1 self-center"><input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} />On</label>
      {field("minPerMin", "Min (req/min)", "w-24")}
      {field("maxPerMin", "Max (req/min)", "w-24")}
      {field("maxStep", "Max step (%)")}
      {field("cooldownMinutes", "Cooldown (min)")}
      {field("intervalMinutes", "Every (min)")}
      {field("rollbackMinutes", "Rollback check (min)")}
      <Button type="submit" variant="primary" disabled={pending}>Save</Button>
    </form>
  );
}
