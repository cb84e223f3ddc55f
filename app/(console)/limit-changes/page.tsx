import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listLimitChangeRows } from "@/lib/limits/changes-view";
import { limitText } from "@/lib/limits/policy-limit";

export const metadata: Metadata = { title: "Limit changes" };

export default async function LimitChangesPage() {
  const { user, allowed } = await requirePermission("/limit-changes", "investigations:read");
  if (!allowed) return <Forbidden role={user.role} what="Limit changes" />;
  const rows = await listLimitChangeRows(db);
  return (
    <>
      <PageHeader title="Limit changes" description="Rate limits Touchline applied to Tyk policies and rolled back: who, when, the values before and after, and the policy version each write made." />
      {rows.length === 0 ? (
        <EmptyState title="No limit changes yet">An admin applies a recommended limit from an endpoint&apos;s Capacity &amp; limits panel.</EmptyState>
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
                  <Badge tone={r.action === "apply" ? "warn" : "good"}>{r.action === "apply" ? "applied" : "rolled back"}</Badge>{" "}
                  {limitText(r.before)} → {limitText(r.after)}{r.after.scope === "api" ? ` on API ${r.after.apiId}` : ""}
                  {r.rolledBack && <span className="text-xs text-slate-500"> · since rolled back</span>}
                  {r.reason && <div className="text-xs text-slate-500">{r.reason}</div>}
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
