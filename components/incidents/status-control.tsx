"use client";

import { Badge, type Tone } from "@/components/ui/badge";
import { STATUSES, type IncidentStatus } from "@/lib/incidents/schema";

export const STATUS_TONE: Record<string, Tone> = { open: "bad", mitigated: "warn", resolved: "good" };
export const SEVERITY_TONE: Record<string, Tone> = { sev1: "bad", sev2: "bad", sev3: "warn", sev4: "neutral" };

/** The status as a badge, and for writers a select that changes it. */
export function StatusControl({ status, canWrite, busy, onChange }: { status: string; canWrite: boolean; busy: boolean; onChange: (s: IncidentStatus) => void }) {
  if (!canWrite) return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
  return (
    <label className="flex items-center gap-2 text-xs font-medium text-slate-600 dark:text-slate-300">
      Status
      <select value={status} disabled={busy} onChange={(e) => onChange(e.target.value as IncidentStatus)} data-testid="incident-status"
        className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100">
        {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
    </label>
  );
}
