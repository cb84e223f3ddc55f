"use client";

// Settings › "New incidents webhook": where each new incident is announced (Slack-compatible JSON).
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { fetchJson } from "@/components/ui/fetch-json";
import type { WebhookStatus } from "@/lib/webhooks/slack-webhook";

export function IncidentWebhookCard({ initial, canWrite }: { initial: WebhookStatus; canWrite: boolean }) {
  const [w, setW] = useState(initial);
  const [url, setUrl] = useState("");
  const write = useMutation({
    mutationFn: (body: { url: string } | null) =>
      fetchJson<{ webhook: WebhookStatus }>("/api/incident-webhook", body ? { method: "PUT", json: body } : { method: "DELETE" }),
    onSuccess: (r) => { setW(r.webhook); setUrl(""); },
  });
  return (
    <Card title="New incidents webhook" actions={w.configured ? <Badge tone="good">{w.source === "env" ? "from INCIDENT_WEBHOOK_URL" : "stored, sealed"}</Badge> : <Badge>off</Badge>}>
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-300">
        Each new incident is posted as Slack-compatible JSON: severity, title, endpoint, verdict and the link (responders-only incidents without title and verdict).
        The URL is a secret: it is stored sealed and never shown again{w.configured ? ` (now: ${w.host} …${w.last4})` : ""}.
      </p>
      {!canWrite ? null : w.canStore ? (
        <form className="flex flex-wrap items-end gap-2" aria-label="New incidents webhook" onSubmit={(e) => { e.preventDefault(); write.mutate({ url }); }}>
          <Field label="Incident webhook URL" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.slack.com/services/…" className="min-w-60 flex-1" />
          <Button type="submit" variant="primary" disabled={write.isPending || !url}>Save</Button>
          {w.source === "stored" && <Button variant="ghost" disabled={write.isPending} onClick={() => write.mutate(null)}>Remove</Button>}
        </form>
      ) : (
        <p className="text-xs text-amber-800 dark:text-amber-300">Set TOUCHLINE_ENCRYPTION_KEY to store the URL here, or set INCIDENT_WEBHOOK_URL.</p>
      )}
      {write.error && <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">{write.error.message}</p>}
    </Card>
  );
}
