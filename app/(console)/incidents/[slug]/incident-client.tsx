"use client";

// The incident page's island: status, sharing, notes and timeline are live; the evidence is the frozen copy.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { FrozenEvidence } from "@/components/incidents/frozen-evidence";
import { IncidentTimeline } from "@/components/incidents/incident-timeline";
import { NoteForm } from "@/components/incidents/note-form";
import { SharePanel } from "@/components/incidents/share-panel";
import { SEVERITY_TONE, StatusControl } from "@/components/incidents/status-control";
import { useIncident, useIncidentWrites } from "@/components/incidents/use-incident";
import { formatUtc } from "@/lib/format";
import type { IncidentJson } from "@/lib/incidents/types";

export function IncidentClient({ initial }: { initial: IncidentJson }) {
  const { data } = useIncident(initial);
  const inc = data ?? initial;
  const writes = useIncidentWrites(inc.slug);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500 dark:text-slate-400">
        <Link href="/incidents" className="hover:underline">Incidents</Link> <span aria-hidden="true">/</span> {inc.endpoint.label}
      </nav>
      <PageHeader
        title={inc.title}
        description={`${inc.endpoint.label} · created ${formatUtc(inc.createdAt)} by ${inc.createdBy} · owner ${inc.owner.email ?? "unassigned"}`}
        actions={
          <div className="flex items-center gap-2">
            <Badge tone={SEVERITY_TONE[inc.severity]}>{inc.severity.toUpperCase()}</Badge>
            {inc.visibility === "responders" && <Badge tone="info">responders only</Badge>}
            <StatusControl status={inc.status} canWrite={inc.you.canWrite} busy={writes.update.isPending} onChange={(status) => writes.update.mutate({ status })} />
          </div>
        }
      />
      {writes.update.isError && <p role="alert" className="mb-4 text-sm text-red-700 dark:text-red-300">{writes.update.error.message}</p>}
      <p className="mb-4 rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700 dark:bg-blue-950 dark:text-blue-200" data-testid="frozen-notice">
        Evidence frozen {formatUtc(inc.frozen.frozenAt)}: this page shows the data as it was then, even after it ages out or the policies change.{" "}
        <Link className="underline" href={`/endpoints/${encodeURIComponent(inc.endpoint.id)}?${new URLSearchParams({
          from: inc.window.from, to: inc.window.to, ...(inc.frozen.investigation.userType ? { userType: inc.frozen.investigation.userType.id } : {}),
        })}`}>
          Open the live endpoint for this window
        </Link>
      </p>
      <div className="grid grid-cols-1 gap-6 max-md:[overflow-wrap:anywhere] xl:grid-cols-[minmax(0,1fr)_22rem]">
        <FrozenEvidence frozen={inc.frozen} />
        <aside className="space-y-6">
          <Card title="Share"><SharePanel incident={inc} /></Card>
          <Card title="Timeline">
            <div className="space-y-4">
              <IncidentTimeline events={inc.events} notes={inc.notes} />
              {inc.you.canWrite && (
                <NoteForm busy={writes.note.isPending} error={writes.note.error}
                  onSubmit={(body, done) => writes.note.mutate(body, { onSuccess: done })} />
              )}
            </div>
          </Card>
        </aside>
      </div>
    </>
  );
}
