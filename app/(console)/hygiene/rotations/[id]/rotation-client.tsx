"use client";

import Link from "next/link";
import { useState } from "react";
import { ShownOnce } from "@/components/access/shown-once";
import { Timeline } from "@/components/access/timeline";
import { RotationState } from "@/components/access/rotation-panel";
import { useRotation, useRotationAction, type KeyTrafficJson, type RotationDetailJson } from "@/components/access/use-rotation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatCount, formatRelative, formatUtc } from "@/lib/format";

const VERDICT_TONE = { moved: "good", moving: "info", not_moved: "warn", quiet: "neutral" } as const;

function KeyTraffic({ title, hash, t }: { title: string; hash: string | null; t: KeyTrafficJson }) {
  return (
    <div className="rounded-xl border border-slate-200 p-3 dark:border-slate-700">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</p>
      {hash && <Link href={`/keys/${hash}`} className="font-mono text-xs text-brand-700 hover:underline dark:text-blue-300">{hash.slice(0, 12)}…</Link>}
      <p className="mt-1 text-2xl font-semibold" data-testid={`${title.toLowerCase().replace(/\s+/g, "-")}-requests`}>{formatCount(t.requests)}</p>
      <p className="text-xs text-slate-500">requests since the new key was made · {formatCount(t.recent)} in the last 30 min{t.refused ? ` · ${formatCount(t.refused)} refused` : ""}</p>
      <p className="text-xs text-slate-500">last {t.lastAt ? <span title={formatUtc(t.lastAt)}>{formatRelative(t.lastAt)}</span> : "—"}</p>
    </div>
  );
}

/** A rotation as it happens: state, traffic on both keys, the timeline, and the admin's actions. */
export function RotationClient({ id, initial, canRotate }: { id: string; initial: RotationDetailJson; canRotate: boolean }) {
  const { data } = useRotation(id, initial);
  const action = useRotationAction(id);
  const [confirm, setConfirm] = useState<"cancel" | "delete-old" | null>(null);
  const r = data.rotation;
  const run = (a: "create" | "cancel" | "delete-old") => action.mutate(a, { onSettled: () => setConfirm(null) });
  return (
    <div className="grid gap-5 lg:grid-cols-3">
      <Card title="State" className="lg:col-span-1">
        <div className="flex flex-col gap-2 text-sm">
          <div><RotationState r={r} /></div>
          <p className="text-xs text-slate-500">Requested by {r.requestedBy} {formatRelative(r.createdAt)}{r.finishedBy ? ` · finished by ${r.finishedBy} ${formatRelative(r.finishedAt)}` : ""}</p>
          {r.kind === "key" && r.oldKeyHash && <p className="text-xs">Old key: <Link className="font-mono text-brand-700 hover:underline dark:text-blue-300" href={`/keys/${r.oldKeyHash}`}>{r.oldKeyHash.slice(0, 12)}…</Link></p>}
          {r.newKeyHash && <p className="text-xs">New key: <Link className="font-mono text-brand-700 hover:underline dark:text-blue-300" href={`/keys/${r.newKeyHash}`}>{r.newKeyHash.slice(0, 12)}…</Link>{r.newLast4 ? ` (••••${r.newLast4})` : ""}</p>}
          {r.state === "grace" && <p className="text-xs">The old key is deleted {formatRelative(r.deleteAfter)} ({formatUtc(r.deleteAfter)}).</p>}
          {r.lastError && <p role="alert" className="rounded-lg bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-100">{r.lastError}{r.nextAttemptAt ? ` Next attempt ${formatRelative(r.nextAttemptAt)}.` : ""}</p>}
          {action.data?.key && <ShownOnce title="New key created." value={action.data.key} testId="new-key" />}
          {action.isError && <p role="alert" className="text-xs text-red-700 dark:text-red-300">{action.error.message}</p>}
          {canRotate && (
            <div className="flex flex-wrap gap-2">
              {r.state === "creating" && <Button variant="primary" disabled={action.isPending} onClick={() => run("create")}>Try again: create the new key</Button>}
              {r.state === "grace" && confirm !== "delete-old" && <Button onClick={() => setConfirm("delete-old")}>Delete old key now</Button>}
              {confirm === "delete-old" && <Button variant="danger" disabled={action.isPending} onClick={() => run("delete-old")}>Confirm: delete the old key now</Button>}
              {(r.state === "creating" || r.state === "grace") && confirm !== "cancel" && <Button variant="ghost" onClick={() => setConfirm("cancel")}>Cancel rotation</Button>}
              {confirm === "cancel" && <Button variant="danger" disabled={action.isPending} onClick={() => run("cancel")}>Confirm: keep both keys</Button>}
            </div>
          )}
        </div>
      </Card>
      <Card title="Have the callers moved?" className="lg:col-span-2">
        {data.traffic ? (
          <div className="flex flex-col gap-3">
            <p className="text-sm"><Badge tone={VERDICT_TONE[data.traffic.verdict]}>{data.traffic.verdict.replace("_", " ")}</Badge> <span data-testid="move-summary">{data.traffic.summary}</span></p>
            <div className="grid gap-3 sm:grid-cols-2">
              <KeyTraffic title="Old key" hash={r.oldKeyHash} t={data.traffic.old} />
              <KeyTraffic title="New key" hash={r.newKeyHash} t={data.traffic.new} />
            </div>
            <p className="text-xs text-slate-500">From request records ingested up to {data.traffic.upTo ? formatUtc(data.traffic.upTo) : "—"}; refreshed every 15 s.</p>
          </div>
        ) : (
          <p className="text-sm text-slate-500">{r.kind === "key" ? "Traffic is watched once the new key exists." : "An OAuth secret has no grace period: Tyk keeps one secret per client."}</p>
        )}
      </Card>
      <Card title="Timeline" className="lg:col-span-3">
        <Timeline events={data.timeline} />
      </Card>
    </div>
  );
}
