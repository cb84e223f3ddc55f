import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { ChangeAttribution } from "@/components/tyk/change-attribution";
import { StaleBanner } from "@/components/sync/stale-banner";
import { SyncNow } from "@/components/tyk/sync-now";
import { TykSubnav } from "@/components/tyk/tyk-subnav";
import { summarizeDiff } from "@/components/tyk/diff-model";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { syncScheduler } from "@/lib/jobs";
import { formatCount } from "@/lib/format";
import { listPolicies } from "@/lib/queries/policies";
import { getSyncStatus } from "@/lib/queries/sync-status";

export const metadata: Metadata = { title: "Policies" };

function rateText(rate: number | null, per: number | null): string {
  if (rate === null || rate <= 0) return "unlimited";
  return `${formatCount(rate)} / ${per === 1 ? "s" : `${per ?? "?"} s`}`;
}

function quotaText(q: string | null): string {
  return q === null || Number(q) < 0 ? "unlimited" : formatCount(Number(q));
}

export default async function PoliciesPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const user = await requireUser("/policies");
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.slice(0, 200) ?? "";
  const [policies, status] = await Promise.all([listPolicies(db, { q }), getSyncStatus(db, syncScheduler()?.schedule())]);
  return (
    <>
      <PageHeader title="Policies" description="Tyk security policies, their rate limits and every change to them." />
      <TykSubnav current="/policies" />
      <StaleBanner />
      <div className="grid gap-5 xl:grid-cols-[1fr_20rem]">
        <div className="min-w-0">
          <form method="get" role="search" className="mb-4 flex gap-2">
            <label htmlFor="policy-q" className="sr-only">Filter policies</label>
            <input id="policy-q" name="q" defaultValue={q} placeholder="Filter by name, id or tag"
              className="w-72 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900" />
            <Button type="submit">Filter</Button>
            {q && <Link href="/policies" className="self-center text-sm text-slate-500 underline">Clear</Link>}
          </form>
          {policies.length === 0 ? (
            <EmptyState title={q ? `No policy matches “${q}”` : "No policies synced"}>
              {q ? "Try another name, id or tag." : "Connect your Tyk Dashboard; Touchline keeps a version history of every policy and who changed it."}
            </EmptyState>
          ) : (
            <Table label="Policies">
              <thead>
                <tr><Th>Name</Th><Th>Rate</Th><Th>Quota</Th><Th>APIs reached</Th><Th>Last change</Th><Th className="text-right">Versions</Th></tr>
              </thead>
              <tbody>
                {policies.map((p) => (
                  <tr key={p.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                    <Td className="whitespace-nowrap">
                      <Link href={`/policies/${encodeURIComponent(p.id)}`} className="font-medium text-brand-700 hover:underline dark:text-blue-300">{p.name}</Link>
                      {!p.active && <span className="ml-2"><Badge tone="warn">inactive</Badge></span>}
                    </Td>
                    <Td className="font-mono text-xs whitespace-nowrap">{rateText(p.rate, p.per)}</Td>
                    <Td className="font-mono text-xs">{quotaText(p.quotaMax)}</Td>
                    <Td className="text-xs">{p.apis.length ? p.apis.map((a) => a.name).join(", ") : <span className="text-slate-500">none</span>}</Td>
                    <Td className="text-xs">
                      {p.lastChange ? (
                        <>
                          <div className="[overflow-wrap:anywhere]">{summarizeDiff(p.lastChange.diff, 1) ?? p.lastChange.action}</div>
                          <div className="text-slate-500"><ChangeAttribution change={p.lastChange} compact /></div>
                        </>
                      ) : (
                        <span className="text-slate-500">none since first sync</span>
                      )}
                    </Td>
                    <Td className="text-right font-mono text-xs">{p.versions}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </div>
        <aside><SyncNow initial={status} canRun={can(user.role, "sync:run")} /></aside>
      </div>
    </>
  );
}
