"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useAccessSettings, useAccessSettingsWrite, type AccessSettingsJson } from "./use-access-settings";

const input = "rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal dark:border-slate-700 dark:bg-slate-950";
const groupsOf = (s: string) => s.split(/[\s,]+/).map((g) => g.trim()).filter(Boolean);

function Problem({ error }: { error: Error | null }) {
  return error ? <p role="alert" className="text-xs text-red-700 dark:text-red-300">{error.message}</p> : null;
}

function Offers({ data }: { data: AccessSettingsJson }) {
  const write = useAccessSettingsWrite();
  const [policyId, setPolicyId] = useState(data.policies[0]?.id ?? "");
  const [maxMinutes, setMax] = useState(60);
  const [description, setDescription] = useState("");
  return (
    <Card title="Offered policies">
      <ul className="mb-3 flex flex-col gap-1 text-sm" aria-label="Offered policies">
        {data.offers.length === 0 && <li className="text-xs text-slate-500">None yet: people can still request chosen APIs.</li>}
        {data.offers.map((o) => (
          <li key={o.policyId} className="flex items-center justify-between gap-2">
            <span><strong>{o.policyName ?? o.policyId}</strong> — up to {o.maxMinutes} min{o.description ? ` · ${o.description}` : ""}</span>
            <Button variant="ghost" aria-label={`Stop offering ${o.policyName ?? o.policyId}`} onClick={() => write.mutate({ kind: "delete", path: `/api/access-settings/offers/${encodeURIComponent(o.policyId)}` })}>Remove</Button>
          </li>
        ))}
      </ul>
      <form className="flex flex-wrap items-end gap-2" aria-label="Offer a policy" onSubmit={(e) => { e.preventDefault(); write.mutate({ kind: "offer", body: { policyId, maxMinutes, description } }); }}>
        <label className="flex flex-col gap-1 text-xs font-medium">Policy
          <select className={input} value={policyId} onChange={(e) => setPolicyId(e.target.value)} aria-label="Policy to offer">
            {data.policies.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <Field label="Max minutes" type="number" min={5} max={10080} value={maxMinutes} onChange={(e) => setMax(Number(e.target.value))} className="w-28" />
        <Field label="Description" value={description} maxLength={300} onChange={(e) => setDescription(e.target.value)} placeholder="e.g. read-only catalog" />
        <Button type="submit" variant="primary" disabled={write.isPending || !policyId}>Offer</Button>
      </form>
      <Problem error={write.error} />
    </Card>
  );
}

function Rules({ data }: { data: AccessSettingsJson }) {
  const write = useAccessSettingsWrite();
  const [name, setName] = useState("");
  const [policyId, setPolicyId] = useState("any");
  const [requesters, setRequesters] = useState("");
  const [approvers, setApprovers] = useState("");
  const [auto, setAuto] = useState(false);
  const [autoMax, setAutoMax] = useState(60);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    write.mutate({ kind: "rule", body: { name, policyId, requesterGroups: groupsOf(requesters), approverGroups: groupsOf(approvers), autoApprove: auto, autoMaxMinutes: auto ? autoMax : null } }, { onSuccess: () => setName("") });
  };
  return (
    <Card title="Rules">
      <ul className="mb-3 flex flex-col gap-2 text-sm" aria-label="Rules">
        {data.rules.length === 0 && <li className="text-xs text-slate-500">No rules: admins approve every request.</li>}
        {data.rules.map((r) => (
          <li key={r.id} className="flex items-start justify-between gap-2">
            <span>
              <strong>{r.name}</strong>{" "}
              {r.autoApprove && <Badge tone="good">auto-approves ≤ {r.autoMaxMinutes} min</Badge>}
              <span className="block text-xs text-slate-500">
                {r.policyId ? `requests for ${r.policyName ?? r.policyId}` : "every request"} · from {r.requesterGroups.length ? r.requesterGroups.join(", ") : "anyone"}
                {r.approverGroups.length ? ` · approvers: ${r.approverGroups.join(", ")}` : ""}
              </span>
            </span>
            <Button variant="ghost" aria-label={`Delete rule ${r.name}`} onClick={() => write.mutate({ kind: "delete", path: `/api/access-settings/rules/${encodeURIComponent(r.id)}` })}>Delete</Button>
          </li>
        ))}
      </ul>
      <form className="flex flex-col gap-2" aria-label="New rule" onSubmit={submit}>
        <div className="flex flex-wrap gap-2">
          <Field label="Name" required value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder="on-call read-only" />
          <label className="flex flex-col gap-1 text-xs font-medium">Covers
            <select className={input} value={policyId} onChange={(e) => setPolicyId(e.target.value)} aria-label="Requests the rule covers">
              <option value="any">every request</option>
              {data.offers.map((o) => <option key={o.policyId} value={o.policyId}>{o.policyName ?? o.policyId}</option>)}
            </select>
          </label>
        </div>
        <div className="flex flex-wrap gap-2">
          <Field label="Requester groups (blank: anyone)" value={requesters} onChange={(e) => setRequesters(e.target.value)} placeholder="oncall" />
          <Field label="Approver groups" value={approvers} onChange={(e) => setApprovers(e.target.value)} placeholder="payments-leads" />
        </div>
        <label className="flex items-center gap-2 text-xs font-medium">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> Approve at once, up to
          <input type="number" min={5} max={10080} value={autoMax} onChange={(e) => setAutoMax(Number(e.target.value))} className={`${input} w-20`} aria-label="Auto-approve up to minutes" disabled={!auto} /> minutes
        </label>
        <div><Button type="submit" variant="primary" disabled={write.isPending || !name.trim()}>Add rule</Button></div>
      </form>
      <Problem error={write.error} />
    </Card>
  );
}

function Webhook({ data }: { data: AccessSettingsJson }) {
  const write = useAccessSettingsWrite();
  const [url, setUrl] = useState("");
  const w = data.webhook;
  return (
    <Card title="Webhook (Slack-compatible)" actions={w.configured ? <Badge tone="good">{w.source === "env" ? "from ACCESS_WEBHOOK_URL" : "stored, sealed"}</Badge> : <Badge>off</Badge>}>
      <p className="mb-2 text-xs text-slate-500">
        Requests and decisions are posted as Slack-compatible JSON. The URL is a secret: it is stored sealed and never shown again{w.configured ? ` (now: ${w.host} …${w.last4})` : ""}.
      </p>
      {w.canStore ? (
        <form className="flex flex-wrap items-end gap-2" aria-label="Webhook" onSubmit={(e) => { e.preventDefault(); write.mutate({ kind: "webhook", url }, { onSuccess: () => setUrl("") }); }}>
          <Field label="Webhook URL" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.slack.com/services/…" className="min-w-72 flex-1" />
          <Button type="submit" variant="primary" disabled={write.isPending || !url}>Save</Button>
          {w.source === "stored" && <Button variant="ghost" onClick={() => write.mutate({ kind: "delete", path: "/api/access-settings/webhook" })}>Remove</Button>}
        </form>
      ) : (
        <p className="text-xs text-amber-700 dark:text-amber-300">Set TOUCHLINE_ENCRYPTION_KEY to store the URL here, or set ACCESS_WEBHOOK_URL.</p>
      )}
      <Problem error={write.error} />
    </Card>
  );
}

export function AccessSettingsClient({ initial }: { initial: AccessSettingsJson }) {
  const { data } = useAccessSettings(initial);
  return (
    <div className="grid gap-5 lg:grid-cols-2">
      <Offers data={data} />
      <Rules data={data} />
      <Webhook data={data} />
    </div>
  );
}
