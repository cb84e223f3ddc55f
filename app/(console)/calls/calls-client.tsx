"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import type { Filters } from "@/components/filters/filter-url";
import { formatMs } from "@/lib/format";
import { useCalls, type CallJson } from "./use-calls";

function Row({ c }: { c: CallJson }) {
  return (
    <tr>
      <Td className="whitespace-nowrap font-mono text-xs">{c.ts.replace("T", " ").slice(0, 23)}</Td>
      <Td>{c.identity ? <span title={c.identity.email ?? undefined}>{c.identity.email ?? c.identity.name}</span> : <span className="text-slate-500">unknown</span>}</Td>
      <Td>
        {c.key ? (
          <span>
            {c.key.alias ?? "no alias"} <span className="font-mono text-xs text-slate-500">{c.key.masked}</span>
          </span>
        ) : (
          "—"
        )}
      </Td>
      <Td className="font-mono text-xs">
        {c.method} {c.path}
        {c.endpoint && c.endpoint.path !== c.path && <span className="block text-slate-500">{c.endpoint.path}</span>}
      </Td>
      <Td><Badge tone={c.status >= 500 ? "bad" : c.status >= 400 ? "warn" : "good"}>{c.status}</Badge></Td>
      <Td className="text-right tabular-nums">{formatMs(c.latencyMs)}</Td>
      <Td>
        {c.traceId ? (
          <Link href={`/traces/${encodeURIComponent(c.traceId)}`} className="font-medium text-brand-700 hover:underline dark:text-blue-300" aria-label={`Trace of ${c.method} ${c.path} at ${c.ts.slice(11, 19)}`}>
            Trace
          </Link>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </Td>
    </tr>
  );
}

/** The filtered call trail with "Load older" keyset paging. */
export function CallsClient({ filters }: { filters: Filters }) {
  const q = useCalls(filters);
  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Searching calls…</p>;
  if (q.isError) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not search calls: {q.error.message}</p>;
  const calls = q.data.pages.flatMap((p) => p.calls);
  if (!calls.length) {
    return <EmptyState title="No calls match">Check the identity, key alias or endpoint, or widen the time range. Calls appear after the analytics sync ingests them.</EmptyState>;
  }
  return (
    <>
      <Table label="Calls">
        <thead>
          <tr>
            <Th>Time (UTC)</Th>
            <Th>Identity</Th>
            <Th>Key</Th>
            <Th>Request</Th>
            <Th>Status</Th>
            <Th className="text-right">Latency</Th>
            <Th>Trace</Th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => <Row key={c.id} c={c} />)}
        </tbody>
      </Table>
      <div className="mt-4 flex items-center gap-3 text-sm text-slate-500">
        <span>{calls.length.toLocaleString("en-US")} call{calls.length === 1 ? "" : "s"} shown</span>
        {q.hasNextPage && (
          <Button onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
            {q.isFetchingNextPage ? "Loading…" : "Load older"}
          </Button>
        )}
      </div>
    </>
  );
}
