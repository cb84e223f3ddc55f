import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { ChangeAttribution } from "@/components/tyk/change-attribution";
import { StaleBanner } from "@/components/sync/stale-banner";
import { TykSubnav } from "@/components/tyk/tyk-subnav";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatRelative, formatUtc, maskKey } from "@/lib/format";
import { AGE_OPTIONS, EXPIRY_OPTIONS, expiryState, keyFiltersSearch, parseKeyFilters } from "@/lib/queries/key-filters";
import { keyFilterOptions, listKeys } from "@/lib/queries/keys";

export const metadata: Metadata = { title: "Keys" };

const select = "rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

function Expiry({ at, now }: { at: Date | null; now: Date }) {
  const s = expiryState(at, now);
  if (s === "never") return <span className="text-slate-500">never</span>;
  if (s === "expired") return <Badge tone="bad" title={formatUtc(at)}>expired {formatRelative(at, now.getTime())}</Badge>;
  if (s === "soon") return <Badge tone="warn" title={formatUtc(at)}>expires {formatRelative(at, now.getTime())}</Badge>;
  return <span title={formatUtc(at)}>{formatUtc(at).slice(0, 10)}</span>;
}

export default async function KeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("/keys");
  const filters = parseKeyFilters(await searchParams);
  const now = new Date();
  const [page, options] = await Promise.all([listKeys(db, filters, now), keyFilterOptions(db)]);
  const pages = Math.max(1, Math.ceil(page.total / filters.pageSize));
  const filtered = Boolean(filters.policy || filters.identity || filters.age || filters.expiry || filters.q);
  return (
    <>
      <PageHeader title="Keys" description="Tyk keys (masked), their owners, policies, age and expiry. Touchline stores only each key's hash and last four characters." />
      <TykSubnav current="/keys" />
      <StaleBanner />
      <form method="get" role="search" aria-label="Filter keys" className="mb-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Alias or last 4
          <input name="q" defaultValue={filters.q ?? ""} className={`${select} w-44`} />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Policy
          <select name="policy" defaultValue={filters.policy ?? ""} className={select}>
            <option value="">any</option>
            {options.policies.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Identity
          <select name="identity" defaultValue={filters.identity ?? ""} className={select}>
            <option value="">any</option>
            {options.identities.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Age
          <select name="age" defaultValue={filters.age ?? ""} className={select}>
            <option value="">any</option>
            {Object.entries(AGE_OPTIONS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Expiry
          <select name="expiry" defaultValue={filters.expiry ?? ""} className={select}>
            <option value="">any</option>
            {Object.entries(EXPIRY_OPTIONS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        <Button type="submit" variant="primary">Apply</Button>
        {filtered && <Link href="/keys" className="self-center text-sm text-slate-500 underline">Clear filters</Link>}
      </form>
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No key matches these filters" : "No keys synced"}>
          {filtered ? "Loosen a filter or clear them all." : "Connect your Tyk Dashboard; Touchline stores only each key's hash and last four characters."}
        </EmptyState>
      ) : (
        <>
          <Table label="Keys">
            <thead>
              <tr><Th>Key</Th><Th>Alias</Th><Th>Identity</Th><Th>Policies</Th><Th>Created</Th><Th>Expiry</Th><Th>Last change</Th></tr>
            </thead>
            <tbody>
              {page.items.map((k) => (
                <tr key={k.keyHash} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                  <Td className="font-mono text-xs whitespace-nowrap">
                    <Link href={`/keys/${k.keyHash}`} className="text-brand-700 hover:underline dark:text-blue-300" aria-label={`Key ${k.alias ?? maskKey(k.last4)}`}>{maskKey(k.last4)}</Link>
                    {k.isInactive && <span className="ml-2"><Badge tone="warn">inactive</Badge></span>}
                  </Td>
                  <Td>{k.alias ?? <span className="text-slate-500">—</span>}</Td>
                  <Td className="text-xs">{k.identity ? <>{k.identity.name} <span className="text-slate-500">({k.identity.kind})</span></> : <span className="text-slate-500">unknown</span>}</Td>
                  <Td className="text-xs">
                    {k.policies.length ? k.policies.map((p, i) => (
                      <span key={p.id}>{i > 0 && ", "}<Link href={`/policies/${encodeURIComponent(p.id)}`} className="hover:underline">{p.name}</Link></span>
                    )) : <span className="text-slate-500">none</span>}
                  </Td>
                  <Td className="text-xs whitespace-nowrap" ><span title={formatUtc(k.createdAt)}>{formatRelative(k.createdAt, now.getTime())}</span></Td>
                  <Td className="text-xs whitespace-nowrap"><Expiry at={k.expiresAt} now={now} /></Td>
                  <Td className="text-xs">{k.lastChange ? <>{k.lastChange.action} <ChangeAttribution change={k.lastChange} compact /></> : <span className="text-slate-500">—</span>}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm text-slate-600 dark:text-slate-300">
            <span>{page.total} key{page.total === 1 ? "" : "s"} · page {filters.page} of {pages}</span>
            <span className="flex gap-2">
              {filters.page > 1 && <ButtonLink href={`/keys${keyFiltersSearch(filters, { page: filters.page - 1 })}`}>Previous</ButtonLink>}
              {filters.page < pages && <ButtonLink href={`/keys${keyFiltersSearch(filters, { page: filters.page + 1 })}`}>Next</ButtonLink>}
            </span>
          </nav>
        </>
      )}
    </>
  );
}
