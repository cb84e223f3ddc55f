import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ChangeAttribution } from "@/components/tyk/change-attribution";
import { summarizeDiff } from "@/components/tyk/diff-model";
import { StaleBanner } from "@/components/sync/stale-banner";
import { TykSubnav } from "@/components/tyk/tyk-subnav";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listApis } from "@/lib/queries/apis";

export const metadata: Metadata = { title: "APIs" };

export default async function ApisPage() {
  await requireUser("/apis");
  const apis = await listApis(db);
  return (
    <>
      <PageHeader title="APIs" description="API definitions on the Tyk gateway, their endpoints and the trace operation each endpoint maps to." />
      <TykSubnav current="/apis" />
      <StaleBanner />
      {apis.length === 0 ? (
        <EmptyState title="No APIs synced">Connect your Tyk Dashboard in Settings; the next sync lists its API definitions here.</EmptyState>
      ) : (
        <div className="space-y-5">
          {apis.map((a) => (
            <Card key={a.id} title={a.name} actions={<span className="flex items-center gap-2"><span className="font-mono text-xs text-slate-500">{a.listenPath}</span>{a.active ? <Badge tone="good">active</Badge> : <Badge tone="warn">inactive</Badge>}</span>}>
              <p className="mb-3 text-xs text-slate-500 dark:text-slate-400">
                {a.lastChange ? (
                  <>Last change: {summarizeDiff(a.lastChange.diff, 1) ?? a.lastChange.action} <ChangeAttribution change={a.lastChange} compact /></>
                ) : (
                  "No change since Touchline's first sync."
                )}{" "}
                · api_id <span className="font-mono">{a.id}</span>
              </p>
              {a.endpoints.length === 0 ? (
                <p className="text-sm text-slate-500">No endpoints known yet (they come from the definition and from traffic).</p>
              ) : (
                <table aria-label={`${a.name} endpoints`} className="w-full text-left text-sm">
                  <thead className="text-xs uppercase text-slate-500 dark:text-slate-400">
                    <tr><th className="py-1 pr-4 font-medium">Method</th><th className="py-1 pr-4 font-medium">Path</th><th className="py-1 pr-4 font-medium">Trace operation</th></tr>
                  </thead>
                  <tbody>
                    {a.endpoints.map((e) => (
                      <tr key={e.id} className="border-t border-slate-100 dark:border-slate-800">
                        <td className="py-1 pr-4 font-mono text-xs">{e.method}</td>
                        <td className="py-1 pr-4 font-mono text-xs">{e.path}</td>
                        <td className="py-1 pr-4 font-mono text-xs">
                          {e.operation ?? <span className="font-sans text-slate-500">not mapped</span>}
                          {e.operation && e.mappingSource === "manual" && <span className="ml-2"><Badge>manual</Badge></span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
