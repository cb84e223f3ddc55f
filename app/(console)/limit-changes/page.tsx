import type { Metadata } from "next";
import Link from "next/link";
import { KillSwitch } from "@/components/limits/kill-switch";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { killSwitchOf } from "@/lib/limits/auto/settings";
import { listLimitChangeRows, type ChangeMode } from "@/lib/limits/changes-view";
import { limitText } from "@/lib/limits/policy-limit";

export const metadata: Metadata = { title: "Limit changes" };

const MODES: { mode: ChangeMode; label: string }[] = [{ mode: "all", label: "All" }, { mode: "manual", label: "Manual" }, { mode: "automatic", label: "Automatic" }];
const ACTION = { apply: { text: "applied", tone: "warn" }, rollback: { text: "rolled back", tone: "good" }, skip: { text: "skipped", tone: "neutral" } } as const;

export default async function LimitChangesPage({ searchParams }: { searchParams: Promise<{ mode?: string | string[] }> }) {
  const { user, allowed } = await requirePermission("/limit-changes", "investigations:read");
  if (!allowed) return <Forbidden role={user.role} what="Limit changes" />;
  const raw = (await searchParams).mode;
  const mode = MODES.find((m) => m.mode === raw)?.mode ?? "all";
  const [rows, kill] = await Promise.all([listLimitChangeRows(db, mode), killSwitchOf(db)]);
  return (
    <>
      <PageHeader title="Limit changes" description="Rate limits Touchline applied to Tyk policies and rolled back, by hand or in automatic mode: who, when, the values before and after, the evidence automatic mode acted on, and the policy version each write made." />
      <KillSwitch on={kill.on} by={kill.by} canChange={can(user.role, "policies:write")} />
      <nav aria-label="Filter limit changes" className="mb-3 flex gap-2 text-sm">
        {MODES.map((m) => (
          <Link key={m.mode} href={m.mode === "all" ? "/limit-changes" : `/limit-changes?mode=${m.mode}`} aria-current={m.mode === mode ? "page" : undefined}
            className={`rounded-full px-3 py-1 ${m.mode === mode ? "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900" : "bg-slate-100 dark:bg-slate-800"}`}>{m.label}</Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <EmptyState title="No limit changes yet">An admin applies a recommended limit from an endpoint&apos;s Capacity &amp; limits panel, or turns automatic mode on there.</EmptyState>
      ) : (
        <table aria-label="Limit changes" className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500 dark:text-slate-400">
            <tr><th className="py-1 pr-4 font-medium">When (UTC)</th><th className="py-1 pr-4 font-medium">Policy</th><th className="py-1 pr-4 font-medium">Change</th><th className="py-1 pr-4 font-medium">Endpoint</th><th className="py-1 pr-4 font-medium">By</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1.5 pr-4 font-mono text-xs">{r.at.toISOString().slice(0, 16).replace("T", " ")}</td>
                <td className="py-1.5 pr-4"><Link href={`/policies/${encodeURIComponent(r.policyId)}`} className="hover:underline">{r.policyName}</Link> <span className="text-xs text-slate-500">v{r.version}</span></td>
                <td className="py-1.5 pr-4">
                  {r.automatic && <><Badge tone="info">automatic</Badge>{" "}</>}
                  <Badge tone={ACTION[r.action].tone}>{ACTION[r.action].text}</Badge>{" "}
                  {limitText(r.before)} → {limitText(r.after)}{r.after.scope === "api" ? ` on API ${r.after.apiId}` : ""}
                  {r.rolledBack && <span className="text-xs text-slate-500"> · since rolled back</span>}
                  {r.reason && <div className="text-xs text-slate-500">{r.reason}</div>}
                  {r.evidence.length > 0 && (
                    <details className="text-xs text-slate-600 dark:text-slate-300">
                      <summary className="cursor-pointer">Evidence</summary>
                      <ul data-testid="change-evidence">{r.evidence.map((line, i) => <li key={i}>{line}</li>)}</ul>
                    </details>
                  )}
                </td>
                <td className="py-1.5 pr-4">{r.endpoint ? <Link href={`/endpoints/${encodeURIComponent(r.endpoint.id)}`} className="hover:underline">{r.endpoint.label}</Link> : "—"}</td>
                <td className="py-1.5 pr-4">{r.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
