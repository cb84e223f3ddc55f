import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const { user, allowed } = await requirePermission("/audit", "audit:read");
  if (!allowed) return <Forbidden role={user.role} what="The audit trail" />;
  const events = await db.auditEvent.findMany({ orderBy: { id: "desc" }, take: 100 });
  return (
    <>
      <PageHeader title="Audit trail" description="Every console action and sign-in, hash-chained so tampering shows." />
      {events.length === 0 ? (
        <EmptyState title="No audit events yet" />
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
              <tr>
                <th className="px-4 py-2 font-medium">Time (UTC)</th>
                <th className="px-4 py-2 font-medium">Actor</th>
                <th className="px-4 py-2 font-medium">Action</th>
                <th className="px-4 py-2 font-medium">Target</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={String(e.id)} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <td className="px-4 py-2 font-mono text-xs">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td className="px-4 py-2">{e.actorEmail ?? e.actorType}</td>
                  <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-4 py-2 text-slate-500">{e.targetType ? `${e.targetType} ${e.targetId}` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
