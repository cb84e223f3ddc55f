"use client";

import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { detailFields } from "@/components/ui/detail-fields";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { Filters } from "@/components/filters/filter-url";
import { useAuditEvents, type AuditEventJson } from "./use-audit-events";

function tone(action: string): Tone {
  if (action.startsWith("auth.")) return "neutral";
  if (action.endsWith(".revoke") || action.endsWith(".delete")) return "bad";
  if (action.startsWith("token.") || action.startsWith("policy.") || action.startsWith("tyk.")) return "warn";
  return "info";
}

/** An event's details as a small field table (labels on the left), or "—". */
function Details({ details }: { details: unknown }) {
  const fields = detailFields(details);
  if (!fields.length) return <>—</>;
  return (
    <table className="text-xs" aria-label="Details" data-testid="audit-details">
      <tbody>
        {fields.map((f, i) => (
          <tr key={`${f.label}-${i}`}>
            <th scope="row" className="py-0.5 pr-3 text-left align-top font-normal whitespace-nowrap text-slate-600 dark:text-slate-300">{f.label}</th>
            <td className="py-0.5 font-mono break-all text-slate-900 dark:text-slate-100">{f.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Row({ e }: { e: AuditEventJson }) {
  return (
    <tr>
      <Td className="whitespace-nowrap font-mono text-xs"><Time at={e.at} /></Td>
      <Td>
        <span className="block">{e.actorLabel}</span>
        {e.ip && <span className="text-xs text-slate-500">{e.ip}</span>}
      </Td>
      <Td><Badge tone={tone(e.action)}>{e.action}</Badge></Td>
      <Td className="text-slate-500 dark:text-slate-400">{e.targetType ? <span className="font-mono text-xs">{e.targetType}{e.targetId ? `:${e.targetId}` : ""}</span> : "—"}</Td>
      <Td className="max-w-md"><Details details={e.details} /></Td>
    </tr>
  );
}

/** The filtered audit list with "Load older" keyset paging. */
export function AuditClient({ filters }: { filters: Filters }) {
  const q = useAuditEvents(filters);
  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Loading audit events…</p>;
  if (q.isError) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load the audit trail: {q.error.message}</p>;
  const events = q.data.pages.flatMap((p) => p.events);
  if (!events.length) return <EmptyState title="No audit events match">Try a wider time range or clear the filters.</EmptyState>;
  return (
    <>
      <Table label="Audit events">
        <thead>
          <tr>
            <Th>Time</Th>
            <Th>Actor</Th>
            <Th>Action</Th>
            <Th>Target</Th>
            <Th>Details</Th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => <Row key={e.id} e={e} />)}
        </tbody>
      </Table>
      <div className="mt-4 flex items-center gap-3 text-sm text-slate-500">
        <span>{events.length} event{events.length === 1 ? "" : "s"} shown</span>
        {q.hasNextPage && (
          <Button onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
            {q.isFetchingNextPage ? "Loading…" : "Load older"}
          </Button>
        )}
      </div>
    </>
  );
}
