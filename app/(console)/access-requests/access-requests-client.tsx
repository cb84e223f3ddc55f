"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { NewRequestForm } from "@/components/access/new-request-form";
import { RequestStatus } from "@/components/access/request-status";
import { ShownOnce } from "@/components/access/shown-once";
import { useAccessRequests, useRequestAction, type AccessRequestJson, type RequestOptionsJson } from "@/components/access/use-access-requests";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { formatRelative, formatUtc } from "@/lib/format";

interface IssuedKey { requestId: string; label: string; key: string }

function DecideButtons({ r }: { r: AccessRequestJson }) {
  const act = useRequestAction();
  const [note, setNote] = useState("");
  return (
    <span className="flex flex-col gap-1">
      <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder="note (optional)" aria-label={`Note for ${r.requesterEmail}'s request`}
        className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-950" />
      <span className="flex gap-2">
        <Button variant="primary" disabled={act.isPending} onClick={() => act.mutate({ id: r.id, action: "approve", note })} aria-label={`Approve ${r.requesterEmail}'s request`}>Approve</Button>
        <Button variant="danger" disabled={act.isPending} onClick={() => act.mutate({ id: r.id, action: "deny", note })} aria-label={`Deny ${r.requesterEmail}'s request`}>Deny</Button>
      </span>
      {act.isError && <span role="alert" className="text-xs text-red-700 dark:text-red-300">{act.error.message}</span>}
    </span>
  );
}

function MyActions({ r, onKey }: { r: AccessRequestJson; onKey: (k: IssuedKey) => void }) {
  const act = useRequestAction();
  return (
    <span className="flex flex-wrap items-center gap-2">
      {r.canCollect && (
        <Button variant="primary" disabled={act.isPending} onClick={() => act.mutate({ id: r.id, action: "issue" }, { onSuccess: (res) => res.key && onKey({ requestId: r.id, label: r.targetLabel, key: res.key }) })}>
          Get key
        </Button>
      )}
      {r.canRevoke && (
        <Button variant="ghost" disabled={act.isPending} onClick={() => act.mutate({ id: r.id, action: "withdraw" })}>{r.status === "issued" ? "Revoke now" : "Cancel"}</Button>
      )}
      {act.isError && <span role="alert" className="text-xs text-red-700 dark:text-red-300">{act.error.message}</span>}
    </span>
  );
}

/**
 * The requester's side (ask; see the decision land; the key appears once — collected automatically
 * when an approval arrives while the page is open) and the approver's side (decide in one click).
 */
export function AccessRequestsClient({ initialMine, initialToApprove, options, approvesAll }: { initialMine: AccessRequestJson[]; initialToApprove: AccessRequestJson[]; options: RequestOptionsJson; approvesAll: boolean }) {
  const { data: mine } = useAccessRequests("mine", initialMine);
  const { data: toApprove } = useAccessRequests("to_approve", initialToApprove);
  const [keys, setKeys] = useState<IssuedKey[]>([]);
  const collect = useRequestAction();
  const collectKey = collect.mutate;
  const seenPending = useRef(new Set(initialMine.filter((r) => r.status === "pending").map((r) => r.id)));
  const addKey = (k: IssuedKey) => setKeys((cur) => [k, ...cur.filter((x) => x.requestId !== k.requestId)]);

  // A request approved while this page watched it: collect the key now, so it appears in seconds.
  useEffect(() => {
    for (const r of mine) {
      if (r.status === "pending") seenPending.current.add(r.id);
      else if (r.canCollect && seenPending.current.delete(r.id)) {
        collectKey({ id: r.id, action: "issue" }, { onSuccess: (res) => res.key && addKey({ requestId: r.id, label: r.targetLabel, key: res.key }) });
      }
    }
  }, [mine, collectKey]);

  return (
    <div className="grid gap-5 xl:grid-cols-[minmax(0,2fr)_minmax(22rem,1fr)]">
      <div className="flex flex-col gap-5">
        {keys.map((k) => (
          <ShownOnce key={k.requestId} title={`Your temporary key for ${k.label}.`} value={k.key} testId="issued-key"
            hint={<>It carries your identity; Touchline deletes it when it expires. <Link className="underline" href={`/access-requests/${k.requestId}`}>Timeline</Link></>} />
        ))}
        {collect.isError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{collect.error.message}</p>}
        {(approvesAll || toApprove.length > 0) && (
          <section aria-label="To approve">
            <h2 className="mb-2 text-sm font-semibold">To approve</h2>
            {toApprove.length === 0 ? (
              <p className="text-sm text-slate-500">Nothing waiting.</p>
            ) : (
              <Table label="Requests to approve">
                <thead><tr><Th>Requester</Th><Th>For</Th><Th>Reason</Th><Th>Duration</Th><Th>Asked</Th><Th /></tr></thead>
                <tbody>
                  {toApprove.map((r) => (
                    <tr key={r.id} data-testid={`to-approve-${r.id}`}>
                      <Td>{r.requesterName ?? r.requesterEmail}<span className="block text-xs text-slate-500">{r.requesterEmail}</span></Td>
                      <Td><Link className="text-brand-700 hover:underline dark:text-blue-300" href={`/access-requests/${r.id}`}>{r.targetLabel}</Link></Td>
                      <Td className="max-w-xs text-xs">{r.reason}</Td>
                      <Td className="whitespace-nowrap">{r.durationMinutes} min</Td>
                      <Td className="whitespace-nowrap text-xs">{formatRelative(r.createdAt)}</Td>
                      <Td><DecideButtons r={r} /></Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
        )}
        <section aria-label="Your requests">
          <h2 className="mb-2 text-sm font-semibold">Your requests</h2>
          {mine.length === 0 ? (
            <EmptyState title="No requests yet">Ask for temporary access with the form; it shows up here with its decision.</EmptyState>
          ) : (
            <Table label="Your requests">
              <thead><tr><Th>For</Th><Th>Status</Th><Th>Duration</Th><Th>Decided</Th><Th>Expires</Th><Th /></tr></thead>
              <tbody>
                {mine.map((r) => (
                  <tr key={r.id} data-testid={`my-request-${r.id}`}>
                    <Td><Link className="text-brand-700 hover:underline dark:text-blue-300" href={`/access-requests/${r.id}`}>{r.targetLabel}</Link><span className="block max-w-xs text-xs text-slate-500">{r.reason}</span></Td>
                    <Td><RequestStatus status={r.status} />{r.lastError && <span className="block max-w-xs text-xs text-amber-700 dark:text-amber-300">{r.lastError}</span>}</Td>
                    <Td className="whitespace-nowrap">{r.durationMinutes} min</Td>
                    <Td className="text-xs">{r.decidedBy ? <>{r.status === "denied" ? "denied" : "approved"} by {r.decidedBy}{r.decisionNote ? `: “${r.decisionNote}”` : ""}</> : "—"}</Td>
                    <Td className="whitespace-nowrap text-xs">{r.expiresAt ? <span title={formatUtc(r.expiresAt)}>{formatRelative(r.expiresAt)}</span> : "—"}</Td>
                    <Td><MyActions r={r} onKey={addKey} /></Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
      </div>
      <div className="flex flex-col gap-5">
        <NewRequestForm options={options} onKey={(requestId, label, key) => addKey({ requestId, label, key })} />
        <Card title="How it works">
          <ol className="list-decimal space-y-1 pl-5 text-xs text-slate-600 dark:text-slate-300">
            <li>You ask; approvers (admins, or the IdP groups a rule names) are notified.</li>
            <li>A rule may approve at once (e.g. a read-only policy for an hour, for on-call).</li>
            <li>Once approved, the key is made in Tyk with an expiry and your identity, and shown to you once.</li>
            <li>At expiry Touchline deletes it and checks Tyk no longer accepts it. Every step is audited.</li>
          </ol>
        </Card>
      </div>
    </div>
  );
}
