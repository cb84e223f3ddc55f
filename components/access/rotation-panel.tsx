"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatRelative, formatUtc } from "@/lib/format";
import { ShownOnce } from "./shown-once";
import { useKeyRotations, useStartRotation, type RotationJson } from "./use-rotation";

export interface RotationPlanView {
  alias: string | null;
  policies: string[];
  metaDataKeys: string[];
  tags: string[];
  expires: string | null;
}

const GRACE_CHOICES = [1, 4, 24, 72, 168];
const STATE_TONE = { creating: "warn", grace: "info", completed: "good", cancelled: "neutral", failed: "bad" } as const;

export function RotationState({ r }: { r: RotationJson }) {
  return <Badge tone={STATE_TONE[r.state]}>{r.state === "grace" ? `grace until ${formatUtc(r.deleteAfter)}` : r.state}</Badge>;
}

/**
 * Rotation of one key: the plan (what the new key copies, how long both work), the new key shown
 * once, and the key's rotations with links to follow them.
 */
export function RotationPanel({ keyHash, plan, canRotate, defaultGraceHours, initial }: { keyHash: string; plan: RotationPlanView; canRotate: boolean; defaultGraceHours: number; initial: RotationJson[] }) {
  const { data: rotations } = useKeyRotations(keyHash, initial);
  const start = useStartRotation();
  const [planning, setPlanning] = useState(false);
  const [grace, setGrace] = useState(GRACE_CHOICES.includes(defaultGraceHours) ? defaultGraceHours : 24);
  const active = rotations.find((r) => r.state === "creating" || r.state === "grace");
  return (
    <Card title="Rotation" className="lg:col-span-3">
      <div id="rotate" className="flex flex-col gap-3 text-sm">
        {start.data && (
          <ShownOnce title="New key created." value={start.data.key} testId="new-key"
            hint={<>Hand it to the key&apos;s callers. Both keys work until {formatUtc(start.data.rotation.deleteAfter)}; then the old one is deleted. <Link className="underline" href={`/hygiene/rotations/${start.data.rotation.id}`}>Watch the callers move</Link>.</>} />
        )}
        {!active && canRotate && !planning && !start.data && (
          <div><Button variant="primary" onClick={() => setPlanning(true)}>Rotate key…</Button></div>
        )}
        {!active && canRotate && planning && !start.data && (
          <div className="rounded-xl border border-slate-200 p-4 dark:border-slate-700" aria-label="Rotation plan">
            <p className="font-medium">A new key will be created in Tyk with this key&apos;s session:</p>
            <ul className="mt-2 list-disc pl-5 text-xs text-slate-600 dark:text-slate-300">
              <li>alias <strong>{plan.alias ?? "(none)"}</strong> — the same identity in traces and investigations</li>
              <li>policies: {plan.policies.length ? plan.policies.join(", ") : "none (its own access rights)"}</li>
              <li>meta_data: {plan.metaDataKeys.length ? plan.metaDataKeys.join(", ") : "(empty)"}{plan.tags.length ? ` · tags: ${plan.tags.join(", ")}` : ""}</li>
              <li>expiry: {plan.expires ? formatUtc(plan.expires) : "never (as now)"}</li>
            </ul>
            <label className="mt-3 flex items-center gap-2 text-xs font-medium">
              Both keys work for
              <select value={grace} onChange={(e) => setGrace(Number(e.target.value))} className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" aria-label="Grace period">
                {GRACE_CHOICES.map((h) => <option key={h} value={h}>{h < 24 ? `${h} h` : `${h / 24} d`}</option>)}
              </select>
              then the old key is deleted (unless cancelled).
            </label>
            <div className="mt-3 flex gap-2">
              <Button variant="primary" disabled={start.isPending} onClick={() => start.mutate({ keyHash, graceHours: grace })}>{start.isPending ? "Creating…" : "Create new key"}</Button>
              <Button variant="ghost" onClick={() => setPlanning(false)}>Cancel</Button>
            </div>
            {start.isError && <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">{start.error.message}</p>}
          </div>
        )}
        {!canRotate && !active && <p className="text-xs text-slate-500">Admins can rotate this key: a new key with the same session, a grace period, then the old one deleted.</p>}
        {rotations.length > 0 && (
          <ul className="flex flex-col gap-1 text-xs">
            {rotations.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2">
                <RotationState r={r} />
                <Link className="text-brand-700 hover:underline dark:text-blue-300" href={`/hygiene/rotations/${r.id}`}>
                  {r.oldKeyHash === keyHash ? "rotated to a new key" : "replaced an older key"} — by {r.requestedBy}, {formatRelative(r.createdAt)}
                </Link>
                {r.lastError && <span className="text-amber-700 dark:text-amber-300">{r.lastError}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
