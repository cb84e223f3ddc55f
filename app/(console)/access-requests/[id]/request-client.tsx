"use client";

import Link from "next/link";
import { useState } from "react";
import { RequestStatus } from "@/components/access/request-status";
import { ShownOnce } from "@/components/access/shown-once";
import { Timeline } from "@/components/access/timeline";
import { useAccessRequest, useRequestAction, type AccessRequestJson, type TimelineJson } from "@/components/access/use-access-requests";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DetailRow } from "@/components/ui/detail-row";
import { formatUtc } from "@/lib/format";

/** One request: its facts, its timeline, and what the viewer may do with it. */
export function RequestClient({ id, initial }: { id: string; initial: { request: AccessRequestJson; timeline: TimelineJson } }) {
  const { data } = useAccessRequest(id, initial);
  const act = useRequestAction();
  const [key, setKey] = useState<string | null>(null);
  const r = data.request;
  return (
    <div className="grid gap-5 lg:grid-cols-3">
      <Card title="Request">
        <dl>
          <DetailRow label="Status"><RequestStatus status={r.status} /></DetailRow>
          <DetailRow label="Requester">{r.requesterName ?? r.requesterEmail}</DetailRow>
          <DetailRow label="For">{r.targetLabel}</DetailRow>
          <DetailRow label="Duration">{r.durationMinutes} min</DetailRow>
          <DetailRow label="Decided">{r.decidedBy ? `${r.decidedBy} · ${formatUtc(r.decidedAt)}` : "—"}</DetailRow>
          <DetailRow label="Key">{r.keyHash ? <Link className="font-mono text-brand-700 hover:underline dark:text-blue-300" href={`/keys/${r.keyHash}`}>{r.keyLast4 ? `••••${r.keyLast4}` : `${r.keyHash.slice(0, 10)}…`}</Link> : "—"}</DetailRow>
          <DetailRow label="Expires">{formatUtc(r.expiresAt)}</DetailRow>
          <DetailRow label="First used">{formatUtc(r.firstUsedAt)}</DetailRow>
          <DetailRow label="Deleted in Tyk">{r.verifiedAt ? `${formatUtc(r.endedAt)} (confirmed)` : "—"}</DetailRow>
        </dl>
        {r.lastError && <p role="alert" className="mt-2 rounded-lg bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-100">{r.lastError}</p>}
        <div className="mt-3 flex flex-wrap gap-2">
          {r.canDecide && <Button variant="primary" disabled={act.isPending} onClick={() => act.mutate({ id, action: "approve" })}>Approve</Button>}
          {r.canDecide && <Button variant="danger" disabled={act.isPending} onClick={() => act.mutate({ id, action: "deny" })}>Deny</Button>}
          {r.canCollect && <Button variant="primary" disabled={act.isPending} onClick={() => act.mutate({ id, action: "issue" }, { onSuccess: (res) => setKey(res.key ?? null) })}>Get key</Button>}
          {r.canRevoke && <Button disabled={act.isPending} onClick={() => act.mutate({ id, action: "withdraw" })}>{r.status === "issued" ? "Revoke now" : "Cancel request"}</Button>}
        </div>
        {act.isError && <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">{act.error.message}</p>}
        {key && <div className="mt-3"><ShownOnce title="Your temporary key." value={key} testId="issued-key" /></div>}
      </Card>
      <Card title="Timeline" className="lg:col-span-2">
        <Timeline events={data.timeline} />
      </Card>
    </div>
  );
}
