import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { DetailRow } from "@/components/ui/detail-row";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DiffTable } from "@/components/tyk/diff-table";
import { HistoryList } from "@/components/tyk/history-list";
import { StaleBanner } from "@/components/sync/stale-banner";
import { TykSubnav } from "@/components/tyk/tyk-subnav";
import { VersionCompare } from "@/components/tyk/version-compare";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatCount, formatUtc, maskKey } from "@/lib/format";
import { comparePolicyVersions, getPolicyDetail } from "@/lib/queries/policies";

export const metadata: Metadata = { title: "Policy" };

type Search = { from?: string | string[]; to?: string | string[] };
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
const num = (v: string | string[] | undefined) => Number.parseInt((Array.isArray(v) ? v[0] : v) ?? "", 10);


export default async function PolicyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const { id } = await params;
  await requireUser(`/policies/${encodeURIComponent(id)}`);
  const d = await getPolicyDetail(db, safeDecode(id));
  if (!d) notFound();
  const { policy: p } = d;
  const sp = await searchParams;
  const versions = d.versionNumbers;
  const latest = versions[0] ?? 1;
  const from = versions.includes(num(sp.from)) ? num(sp.from) : (versions[1] ?? latest);
  const to = versions.includes(num(sp.to)) ? num(sp.to) : latest;
  const compared = versions.length > 1 ? await comparePolicyVersions(db, p.id, from, to) : null;
  const endpoints = d.apis.reduce((n, a) => n + a.endpoints.length, 0);

  return (
    <>
      <PageHeader
        title={p.name}
        description={`Tyk policy ${p.id}`}
        actions={<>{p.deletedAt ? <Badge tone="bad">deleted {formatUtc(p.deletedAt)}</Badge> : p.active ? <Badge tone="good">active</Badge> : <Badge tone="warn">inactive</Badge>}</>}
      />
      <TykSubnav current="/policies" />
      <StaleBanner />
      <div className="grid gap-5 lg:grid-cols-3">
        <Card title="Current settings">
          <dl>
            <DetailRow mono label="Rate">{p.rate === null || p.rate <= 0 ? "unlimited" : `${formatCount(p.rate)} per ${p.per ?? "?"} s`}</DetailRow>
            <DetailRow mono label="Quota">{p.quotaMax === null || Number(p.quotaMax) < 0 ? "unlimited" : formatCount(Number(p.quotaMax))}</DetailRow>
            <DetailRow mono label="Tags">{p.tags.length ? p.tags.join(", ") : "—"}</DetailRow>
            <DetailRow mono label="Version">{`v${p.version}`}</DetailRow>
            <DetailRow mono label="Tyk last updated">{formatUtc(p.lastUpdated)}</DetailRow>
            <DetailRow mono label="First seen">{formatUtc(p.firstSeenAt)}</DetailRow>
            <DetailRow mono label="Synced">{formatUtc(p.syncedAt)}</DetailRow>
          </dl>
        </Card>
        <Card title={`Reaches ${d.apis.length} API${d.apis.length === 1 ? "" : "s"} · ${endpoints} endpoints`} className="lg:col-span-2">
          {d.apis.length === 0 ? (
            <p className="text-sm text-slate-500">This policy grants access to no API.</p>
          ) : (
            <ul className="space-y-3">
              {d.apis.map((a) => (
                <li key={a.id}>
                  <div className="text-sm font-medium">{a.name} <span className="font-mono text-xs text-slate-500">{a.listenPath}</span></div>
                  <ul className="mt-1 flex flex-wrap gap-1.5">
                    {a.endpoints.map((e) => (
                      <li key={e.id} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800">{e.method} {e.path}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <div className="mt-5 grid gap-5 lg:grid-cols-3">
        <Card title="Version history" className="lg:col-span-2">
          <HistoryList items={d.history} what={`Policy ${p.name}`} />
        </Card>
        <div className="space-y-5">
          <Card title={`Keys under this policy (${d.keys.length})`}>
            {d.keys.length === 0 ? (
              <p className="text-sm text-slate-500">No live key uses this policy.</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
                {d.keys.map((k) => (
                  <li key={k.keyHash} className="flex items-center justify-between gap-2 py-1.5">
                    <Link href={`/keys/${k.keyHash}`} className="text-brand-700 hover:underline dark:text-blue-300">{k.alias ?? "(no alias)"}</Link>
                    <span className="font-mono text-xs text-slate-500">{maskKey(k.last4)}{k.identity ? ` · ${k.identity}` : ""}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <section id="compare">
            <Card title="Compare versions">
              {versions.length < 2 ? (
                <p className="text-sm text-slate-500">Only one version has been recorded so far.</p>
              ) : (
                <div className="space-y-3">
                  <VersionCompare versions={versions} from={from} to={to} action={`/policies/${encodeURIComponent(p.id)}`} />
                  <DiffTable diff={compared} label={`Differences from v${from} to v${to}`} empty={from === to ? "Pick two different versions." : "The two versions are identical."} />
                </div>
              )}
            </Card>
          </section>
        </div>
      </div>
    </>
  );
}
