import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Forbidden } from "@/components/ui/forbidden";
import { ConnectionTest } from "@/components/tyk/connection-test";
import { StaleBanner } from "@/components/sync/stale-banner";
import { SyncNow } from "@/components/tyk/sync-now";
import { MappingsCard } from "@/components/traces/mappings-card";
import { SessionsCard } from "@/components/settings/sessions-card";
import { ButtonLink } from "@/components/ui/button";
import { can } from "@/lib/auth/permissions";
import { listLiveSessions } from "@/lib/auth/server-session";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { syncScheduler } from "@/lib/jobs";
import { env } from "@/lib/env";
import { formatRelative, formatUtc } from "@/lib/format";
import { auditLogAvailability, testConnection, type ConnectionTestResult } from "@/lib/queries/connections";
import { IncidentWebhookCard } from "@/components/settings/incident-webhook-card";
import { incidentWebhookStatus } from "@/lib/incidents/webhook";
import { getSyncStatus, lastFinishedRun, type SyncRunView } from "@/lib/queries/sync-status";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

function Row({ label, value, ok = true }: { label: string; value: React.ReactNode; ok?: boolean }) {
  return (
    <div className="flex items-center justify-between gap-4 border-b border-slate-100 py-2 text-sm last:border-0 dark:border-slate-800">
      <span className="text-slate-600 dark:text-slate-300">{label}</span>
      <span className={ok ? "text-right font-mono text-xs" : "text-right text-xs text-amber-700 dark:text-amber-300"}>{value}</span>
    </div>
  );
}

function Health({ result }: { result: ConnectionTestResult }) {
  if (result.message === "not configured") return <Badge tone="neutral">not configured</Badge>;
  return <Badge tone={result.ok ? "good" : "bad"} title={result.message}>{result.ok ? `reachable · ${result.latencyMs} ms` : "unreachable"}</Badge>;
}

function LastRun({ run }: { run: SyncRunView | null }) {
  if (!run) return <Row label="Last sync" value="never" ok={false} />;
  const counts = Object.entries(run.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
  return (
    <>
      <Row label="Last sync" value={<><Badge tone={run.status === "succeeded" ? "good" : run.status === "partial" ? "warn" : "bad"}>{run.status}</Badge> {formatUtc(run.finishedAt ?? run.startedAt)} ({formatRelative(run.finishedAt ?? run.startedAt)})</>} />
      <Row label="Counts" value={counts || "—"} />
      {run.errors.some((e) => !e.warning) && <Row label="Errors" ok={false} value={run.errors.filter((e) => !e.warning).slice(0, 3).map((e) => `${e.step}: ${e.message}`).join("; ")} />}
      {run.errors.some((e) => e.warning) && <Row label="Warnings" ok={false} value={run.errors.filter((e) => e.warning).slice(0, 3).map((e) => `${e.step}: ${e.message}`).join("; ")} />}
    </>
  );
}

export default async function SettingsPage() {
  const { user, allowed } = await requirePermission("/settings", "settings:read");
  if (!allowed) return <Forbidden role={user.role} what="Settings" />;
  const config = env();
  // Health is a live call on each visit (bounded by a 5 s timeout each, run in parallel).
  const [tykHealth, tracesHealth, analyticsHealth, tykRun, tracesRun, analyticsRun, audit, status] = await Promise.all([
    testConnection(db, "tyk"), testConnection(db, "traces"), testConnection(db, "analytics"),
    lastFinishedRun(db, "tyk"), lastFinishedRun(db, "traces"), lastFinishedRun(db, "analytics"),
    auditLogAvailability(db), getSyncStatus(db, syncScheduler()?.schedule()),
  ]);
  const sessions = can(user.role, "sessions:manage") ? await listLiveSessions(db) : null;
  const incidentWebhook = await incidentWebhookStatus(db);
  return (
    <>
      <PageHeader title="Settings" description="Connections and identity. Secrets stay on the server and are never shown." />
      <StaleBanner />
      <StaleBanner kind="traces" />
      <div className="grid gap-5 lg:grid-cols-2">
        <Card title="Tyk Dashboard" actions={<Health result={tykHealth} />}>
          <Row label="Dashboard URL" value={config.TYK_DASHBOARD_URL ?? "not configured"} ok={!!config.TYK_DASHBOARD_URL} />
          <Row label="API key" value={config.TYK_DASHBOARD_API_KEY ? "set (hidden)" : "not configured"} ok={!!config.TYK_DASHBOARD_API_KEY} />
          <Row label="Sync interval" value={`${config.TYK_SYNC_INTERVAL_SECONDS} s`} />
          <Row label="Audit log" value={{ available: "available — changes carry who and when", unavailable: "not available — change times are when a sync first saw them", off: "turned off (TYK_AUDIT_LOG=off)", unknown: "unknown until the next sync" }[audit]} ok={audit === "available"} />
          <LastRun run={tykRun} />
          <ConnectionTest target="tyk" label="the Tyk Dashboard" />
        </Card>
        <Card title="Analytics database (Tyk Pump)" actions={<Health result={analyticsHealth} />}>
          <Row label="Connection" value={config.TYK_ANALYTICS_DATABASE_URL ? "set (hidden)" : "not configured"} ok={!!config.TYK_ANALYTICS_DATABASE_URL} />
          <LastRun run={analyticsRun} />
          <ConnectionTest target="analytics" label="the analytics database" />
        </Card>
        <Card title="Trace backend" actions={<Health result={tracesHealth} />}>
          <Row label="Backend" value={config.TRACE_BACKEND} />
          {config.TRACE_BACKEND === "lightstep" && (
            <>
              <Row label="API URL" value={config.LIGHTSTEP_API_URL} />
              <Row label="Organization / project" value={config.LIGHTSTEP_ORG && config.LIGHTSTEP_PROJECT ? `${config.LIGHTSTEP_ORG} / ${config.LIGHTSTEP_PROJECT}` : "not configured"} ok={!!config.LIGHTSTEP_ORG} />
              <Row label="API key" value={config.LIGHTSTEP_API_KEY ? "set (hidden)" : "not configured"} ok={!!config.LIGHTSTEP_API_KEY} />
              <Row label="Gateway service" value={config.LIGHTSTEP_SERVICE} />
            </>
          )}
          <LastRun run={tracesRun} />
          <ConnectionTest target="traces" label="the trace backend" />
        </Card>
        <Card title="Single sign-on">
          <Row label="Issuer" value={config.OIDC_ISSUER} />
          <Row label="Groups claim" value={config.OIDC_GROUPS_CLAIM} />
          <Row label="Role map" value={config.TOUCHLINE_ROLE_MAP} />
        </Card>
        <MappingsCard />
        <Card title="Console API tokens">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Scoped, expiring tokens for bots, chat-ops and the <code>npm run touchline</code> CLI. Shown once, stored hashed.
          </p>
          <div className="mt-3">
            <ButtonLink href="/settings/tokens">Manage tokens</ButtonLink>
          </div>
        </Card>
        {sessions && <SessionsCard initial={sessions} />}
        <Card title="Temporary access">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Policies people may request for a limited time, approver and auto-approve rules, and the Slack-compatible webhook.
          </p>
          <div className="mt-3">
            <ButtonLink href="/settings/access">Access settings</ButtonLink>
          </div>
        </Card>
        <IncidentWebhookCard initial={incidentWebhook} canWrite={can(user.role, "settings:write")} />
        <div className="lg:col-span-2"><SyncNow initial={status} canRun={can(user.role, "sync:run")} /></div>
      </div>
    </>
  );
}
