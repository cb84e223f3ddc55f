import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePermission } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Settings" };

function Row({ label, value, ok }: { label: string; value: string; ok: boolean }) {
  return (
    <div className="flex items-center justify-between border-b border-slate-100 py-2 text-sm last:border-0 dark:border-slate-800">
      <span className="text-slate-600 dark:text-slate-300">{label}</span>
      <span className={ok ? "font-mono text-xs" : "text-xs text-amber-700 dark:text-amber-300"}>{value}</span>
    </div>
  );
}

export default async function SettingsPage() {
  const { user, allowed } = await requirePermission("/settings", "settings:read");
  if (!allowed) return <Forbidden role={user.role} what="Settings" />;
  const config = env();
  return (
    <>
      <PageHeader title="Settings" description="Connections and identity. Secrets stay on the server and are never shown." />
      <div className="grid gap-5 lg:grid-cols-2">
        <Card title="Single sign-on">
          <Row label="Issuer" value={config.OIDC_ISSUER} ok />
          <Row label="Groups claim" value={config.OIDC_GROUPS_CLAIM} ok />
          <Row label="Role map" value={config.TOUCHLINE_ROLE_MAP} ok />
        </Card>
        <Card title="Tyk Dashboard">
          <Row label="Dashboard URL" value={config.TYK_DASHBOARD_URL ?? "not configured"} ok={!!config.TYK_DASHBOARD_URL} />
          <Row label="API key" value={config.TYK_DASHBOARD_API_KEY ? "set (hidden)" : "not configured"} ok={!!config.TYK_DASHBOARD_API_KEY} />
          <Row label="Analytics database" value={config.TYK_ANALYTICS_DATABASE_URL ? "set (hidden)" : "not configured"} ok={!!config.TYK_ANALYTICS_DATABASE_URL} />
        </Card>
      </div>
    </>
  );
}
