"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { ShownOnce } from "@/components/access/shown-once";
import { FlagList } from "@/components/hygiene/flag-list";
import { Button, ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { formatCount, formatRelative, formatUtc } from "@/lib/format";
import { FLAG_LABELS, KIND_FLAGS, type HygieneKind } from "@/lib/hygiene/flags";
import { hygieneSearch, useHygiene, useRotateSecret, type HygieneItemJson, type HygienePageJson, type HygieneParams } from "./use-hygiene";

const KIND_LABELS: Record<HygieneKind, string> = { keys: "Keys", oauth: "OAuth clients", policies: "Policies", tokens: "Console API tokens", secrets: "Stored secrets" };
const ADMIN_ONLY: HygieneKind[] = ["tokens", "secrets"];
const select = "rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

interface Column {
  header: string;
  sort?: string;
  cell: (i: HygieneItemJson) => React.ReactNode;
}

const age = (iso: string | null) => (iso ? <span title={formatUtc(iso)}>{formatRelative(iso)}</span> : <span className="text-slate-500">unknown</span>);
const lastUsed = (i: HygieneItemJson) => (i.lastUsedAt ? <span title={formatUtc(i.lastUsedAt)}>{formatRelative(i.lastUsedAt)}</span> : <span className="text-slate-500">no requests</span>);
const label = (i: HygieneItemJson, extra?: React.ReactNode) => (
  <Link href={i.href} className="font-medium text-brand-700 hover:underline dark:text-blue-300">{i.label}{extra}</Link>
);

function columns(kind: HygieneKind, canRotate: boolean, rotateSecret: (i: HygieneItemJson) => React.ReactNode): Column[] {
  switch (kind) {
    case "keys":
      return [
        { header: "Key", sort: "alias", cell: (i) => <>{label(i)}<span className="ml-2 font-mono text-xs text-slate-500">••••{i.facts.last4}</span></> },
        { header: "Owner", cell: (i) => i.owner ?? <span className="text-slate-500">none</span> },
        { header: "Policies", cell: (i) => <span className="text-xs">{i.facts.policies || "—"}</span> },
        { header: "Age", sort: "created", cell: (i) => age(i.since) },
        { header: "Expires", sort: "expires", cell: (i) => (i.facts.expiresAt ? <span title={formatUtc(String(i.facts.expiresAt))}>{formatRelative(String(i.facts.expiresAt))}</span> : <span className="text-slate-500">never</span>) },
        { header: "Last used", sort: "last_used", cell: lastUsed },
        { header: "Requests", sort: "requests", cell: (i) => formatCount(i.requests) },
        ...(canRotate ? [{ header: "", cell: (i: HygieneItemJson) => <ButtonLink href={`${i.href}#rotate`} aria-label={`Rotate ${i.label}`}>Rotate</ButtonLink> }] : []),
      ];
    case "oauth":
      return [
        { header: "Client", sort: "alias", cell: (i) => <>{i.label}<span className="ml-2 font-mono text-xs text-slate-500">{i.id.slice(0, 8)}…</span></> },
        { header: "API", cell: (i) => i.facts.api ?? "—" },
        { header: "Owner", cell: (i) => i.owner ?? <span className="text-slate-500">none</span> },
        { header: "Secret age", sort: "created", cell: (i) => age(i.since) },
        { header: "Last used", sort: "last_used", cell: lastUsed },
        { header: "Requests", sort: "requests", cell: (i) => formatCount(i.requests) },
        ...(canRotate ? [{ header: "", cell: rotateSecret }] : []),
      ];
    case "policies":
      return [
        { header: "Policy", sort: "alias", cell: (i) => label(i) },
        { header: "Keys", cell: (i) => `${i.facts.keys} (${i.facts.usedKeys} used)` },
        { header: "Last changed", sort: "created", cell: (i) => age(i.since) },
        { header: "APIs", cell: (i) => <span className="text-xs">{i.facts.apis || "—"}</span> },
      ];
    case "tokens":
      return [
        { header: "Token", sort: "alias", cell: (i) => <>{label(i)}<span className="ml-2 font-mono text-xs text-slate-500">{i.facts.prefix}</span></> },
        { header: "Scopes", cell: (i) => <span className="font-mono text-xs">{i.facts.scopes}</span> },
        { header: "Created by", cell: (i) => i.owner },
        { header: "Age", sort: "created", cell: (i) => age(i.since) },
        { header: "Expires", cell: (i) => (i.facts.expiresAt ? formatUtc(String(i.facts.expiresAt)) : <span className="text-slate-500">never</span>) },
        { header: "Last used", sort: "last_used", cell: lastUsed },
      ];
    case "secrets":
      return [
        { header: "Secret", sort: "alias", cell: (i) => label(i) },
        { header: "Kept", cell: (i) => <span className="text-xs">{i.facts.source}</span> },
        { header: "Host", cell: (i) => <span className="font-mono text-xs">{i.facts.host ?? "—"}{i.facts.last4 ? ` ${i.facts.last4}` : ""}</span> },
        { header: "Age", sort: "created", cell: (i) => age(i.since) },
      ];
  }
}

function RotateSecretButton({ item, onRotated }: { item: HygieneItemJson; onRotated: (label: string, secret: string) => void }) {
  const rotate = useRotateSecret();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) return <Button onClick={() => setConfirming(true)} aria-label={`Regenerate the secret of ${item.label}`}>Regenerate secret</Button>;
  return (
    <span className="flex flex-col gap-1">
      <span className="text-xs text-slate-500">The old secret stops working at once.</span>
      <span className="flex gap-2">
        <Button variant="danger" disabled={rotate.isPending} onClick={() => rotate.mutate(item.id, { onSuccess: (r) => { setConfirming(false); onRotated(item.label, r.secret); } })}>
          {rotate.isPending ? "Regenerating…" : "Confirm"}
        </Button>
        <Button variant="ghost" onClick={() => setConfirming(false)}>Cancel</Button>
      </span>
      {rotate.isError && <span role="alert" className="text-xs text-red-700 dark:text-red-300">{rotate.error.message}</span>}
    </span>
  );
}

/** Tabs per kind with counts, flag filters, search, sortable columns, paging and export, all kept in the URL. */
export function HygieneClient({ params, initial, canRotate, adminKinds }: { params: HygieneParams; initial: HygienePageJson | undefined; canRotate: boolean; adminKinds: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const { data, isError, error, isFetching } = useHygiene(params, initial);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const kind = (params.kind as HygieneKind) || "keys";
  const go = (patch: HygieneParams) => router.push(`${pathname}${hygieneSearch({ ...params, page: "", ...patch })}`, { scroll: false });
  const kinds = (Object.keys(KIND_LABELS) as HygieneKind[]).filter((k) => adminKinds || !ADMIN_ONLY.includes(k));
  const cols = columns(kind, canRotate, (i) => <RotateSecretButton item={i} onRotated={(label, value) => setSecret({ label, value })} />);
  const page = Number(params.page || 1);
  const pageSize = Number(params.pageSize || 50);
  const pages = data ? Math.max(1, Math.ceil(data.total / pageSize)) : 1;
  const sort = params.sort || "created";
  const dir = params.dir || "asc";

  return (
    <div className="flex flex-col gap-4">
      <nav aria-label="Kinds" className="grid gap-3 sm:grid-cols-3 xl:grid-cols-5">
        {kinds.map((k) => {
          const c = data?.counts[k];
          const active = k === kind;
          return (
            <button key={k} type="button" onClick={() => go({ kind: k, flag: "", q: "", sort: "", dir: "" })} aria-current={active ? "page" : undefined}
              className={`rounded-2xl border p-4 text-left transition-colors ${active ? "border-brand-600 bg-brand-50 dark:border-blue-400 dark:bg-slate-800" : "border-slate-200 bg-white hover:border-slate-300 dark:border-slate-800 dark:bg-slate-900"}`}>
              <span className="block text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">{KIND_LABELS[k]}</span>
              <span className="mt-1 block text-2xl font-semibold" data-testid={`count-${k}`}>{c ? formatCount(c.flagged) : "—"}</span>
              <span className="text-xs text-slate-600 dark:text-slate-400">flagged of {c ? formatCount(c.total) : "—"}</span>
            </button>
          );
        })}
      </nav>
      {data && (
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Rotation period {data.rules.rotationDays} days · unused after {data.rules.unusedDays} days ·{" "}
          {data.rules.usageFrom ? <>request records from {formatUtc(data.rules.usageFrom).slice(0, 10)}, usage refreshed {formatRelative(data.rules.usageRefreshedAt)}</> : "no request records yet: last used and the unused and over-broad flags wait for Tyk Pump data"}
        </p>
      )}
      <div className="flex flex-wrap items-end gap-2" role="group" aria-label="Flags">
        <Button variant={!params.flag ? "primary" : "secondary"} onClick={() => go({ flag: "" })}>All</Button>
        <Button variant={params.flag === "any" ? "primary" : "secondary"} onClick={() => go({ flag: "any" })}>Any flag</Button>
        {KIND_FLAGS[kind].map((f) => (
          <Button key={f} variant={params.flag === f ? "primary" : "secondary"} onClick={() => go({ flag: f })} aria-label={`Only ${FLAG_LABELS[f]}`}>
            {FLAG_LABELS[f]} <span className="text-xs opacity-70">{data?.counts[kind]?.byFlag[f] ?? ""}</span>
          </Button>
        ))}
        <form className="ml-auto flex items-end gap-2" role="search" aria-label="Search" onSubmit={(e) => { e.preventDefault(); go({ q: String(new FormData(e.currentTarget).get("q") ?? "") }); }}>
          <input name="q" defaultValue={params.q ?? ""} key={params.q ?? ""} placeholder="name, owner, id" aria-label="Search" className={`${select} w-52`} />
          <Button type="submit">Search</Button>
          <a className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800" href={`/api/hygiene/export${hygieneSearch({ kind, flag: params.flag ?? "", q: params.q ?? "", format: "csv" })}`} download>
            Export CSV
          </a>
        </form>
      </div>
      {secret && <ShownOnce title={`New secret for ${secret.label}.`} value={secret.value} testId="new-secret" hint="Give it to the client's owner over a secure channel; tokens already issued stay valid until they expire." />}
      {isError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error.message}</p>}
      {data && data.items.length === 0 ? (
        <EmptyState title={params.flag || params.q ? "Nothing matches" : `No ${KIND_LABELS[kind].toLowerCase()}`}>{params.flag || params.q ? "Clear the filter to see everything." : "Nothing of this kind is synced or stored yet."}</EmptyState>
      ) : data ? (
        <div className={isFetching ? "opacity-70 transition-opacity" : ""}>
          <Table label={KIND_LABELS[kind]}>
            <thead>
              <tr>
                {cols.map((c, n) => (
                  <Th key={n}>
                    {c.sort ? (
                      <button type="button" className="uppercase hover:text-slate-900 dark:hover:text-white" onClick={() => go({ sort: c.sort!, dir: sort === c.sort && dir === "asc" ? "desc" : "asc" })}
                        aria-label={`Sort by ${c.header.toLowerCase()}`}>
                        {c.header}{sort === c.sort ? (dir === "asc" ? " ↑" : " ↓") : ""}
                      </button>
                    ) : c.header}
                  </Th>
                ))}
                <Th>Flags</Th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((i) => (
                <tr key={i.id} data-testid={`hygiene-row-${i.id}`}>
                  {cols.map((c, n) => <Td key={n} className="whitespace-nowrap text-sm">{c.cell(i)}</Td>)}
                  <Td className="min-w-96"><FlagList flags={i.flags} /></Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm text-slate-600 dark:text-slate-300">
            <span>{formatCount(data.total)} {KIND_LABELS[kind].toLowerCase()} · page {page} of {pages}</span>
            <span className="flex gap-2">
              {page > 1 && <Button onClick={() => go({ page: String(page - 1) })}>Previous</Button>}
              {page < pages && <Button onClick={() => go({ page: String(page + 1) })}>Next</Button>}
            </span>
          </nav>
        </div>
      ) : null}
    </div>
  );
}
