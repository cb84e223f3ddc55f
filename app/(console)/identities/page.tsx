import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { StaleBanner } from "@/components/sync/stale-banner";
import { TykSubnav } from "@/components/tyk/tyk-subnav";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatCount, formatMs, formatPercent, maskKey } from "@/lib/format";
import { listIdentities } from "@/lib/queries/identities";

export const metadata: Metadata = { title: "Identities" };

const KINDS = ["person", "service", "unknown"] as const;
const ACTIVITY_NOTE = "from Tyk Dashboard analytics (hourly)";

export default async function IdentitiesPage({ searchParams }: { searchParams: Promise<{ kind?: string | string[] }> }) {
  await requireUser("/identities");
  const raw = (await searchParams).kind;
  const kind = KINDS.find((k) => k === (Array.isArray(raw) ? raw[0] : raw));
  const identities = await listIdentities(db, { kind });
  return (
    <>
      <PageHeader title="Identities" description="The people and services behind keys and tokens, and their traffic through the gateway in the last 24 hours." />
      <TykSubnav current="/identities" />
      <StaleBanner />
      <nav aria-label="Identity kind" className="mb-4 flex gap-2 text-sm">
        {[undefined, ...KINDS].map((k) => (
          <Link key={k ?? "all"} href={k ? `/identities?kind=${k}` : "/identities"} aria-current={k === kind ? "page" : undefined}
            className={`rounded-full px-3 py-1 ${k === kind ? "bg-brand-600 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-200"}`}>
            {k ?? "all"}
          </Link>
        ))}
      </nav>
      {identities.length === 0 ? (
        <EmptyState title="No identities yet">Identities come from Dashboard users and from key aliases, metadata and tags during the Tyk sync.</EmptyState>
      ) : (
        <Table label="Identities">
          <thead>
            <tr><Th>Name</Th><Th>Kind</Th><Th>Team</Th><Th>Keys</Th><Th className="text-right">Requests 24 h</Th><Th className="text-right">5xx rate</Th><Th className="text-right">p99 24 h</Th></tr>
          </thead>
          <tbody>
            {identities.map((i) => (
              <tr key={i.id}>
                <Td>
                  <div className="font-medium">{i.name}</div>
                  {i.email && i.email !== i.name && <div className="text-xs text-slate-500">{i.email}</div>}
                </Td>
                <Td><Badge tone={i.kind === "person" ? "info" : i.kind === "service" ? "neutral" : "warn"}>{i.kind}</Badge></Td>
                <Td className="text-xs">{i.team ?? <span className="text-slate-500">—</span>}</Td>
                <Td className="text-xs">
                  {i.keys.length ? i.keys.map((k, n) => (
                    <span key={k.keyHash}>{n > 0 && ", "}<Link href={`/keys/${k.keyHash}`} className="hover:underline">{k.alias ?? maskKey(k.last4)}</Link></span>
                  )) : <span className="text-slate-500">none</span>}
                </Td>
                <Td className="text-right font-mono text-xs">
                  {formatCount(i.traffic.requests)}
                  {i.traffic.source === "activity" && <sup title={ACTIVITY_NOTE} aria-label={ACTIVITY_NOTE}>†</sup>}
                </Td>
                <Td className="text-right font-mono text-xs">{i.traffic.requests ? formatPercent(i.traffic.errors / i.traffic.requests, 1) : "—"}</Td>
                <Td className="text-right font-mono text-xs">
                  {i.traffic.source === "activity" ? <>{formatMs(i.traffic.avgMs)} <span className="text-slate-500">avg</span></> : formatMs(i.traffic.p99Ms)}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {identities.some((i) => i.traffic.source === "activity") && (
        <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">
          † {ACTIVITY_NOTE}: no gateway request records for this identity, so its keys&apos; hourly totals are shown; errors there are all
          responses ≥ 400 and latency is the average, not p99.
        </p>
      )}
    </>
  );
}
