import { formatRelative, formatUtc } from "@/lib/format";
import type { ChangeView } from "@/lib/queries/access-changes";

/** "by ada@acme.test at 2026-… UTC", or, without an audit log, "first seen by sync at … (no audit log)". */
export function ChangeAttribution({ change, compact = false }: { change: ChangeView; compact?: boolean }) {
  if (change.timeSource === "first_seen") {
    return (
      <span className="text-slate-600 dark:text-slate-300">
        first seen by sync at <time dateTime={change.changedAt.toISOString()}>{formatUtc(change.changedAt)}</time>{" "}
        <span className="text-slate-500">(no audit log)</span>
      </span>
    );
  }
  return (
    <span>
      by <strong data-testid="change-actor">{change.actor ?? "unknown user"}</strong>{" "}
      {compact ? (
        <time dateTime={change.changedAt.toISOString()} title={formatUtc(change.changedAt)}>{formatRelative(change.changedAt)}</time>
      ) : (
        <>
          at <time dateTime={change.changedAt.toISOString()} data-testid="change-time">{formatUtc(change.changedAt)}</time>{" "}
          <span className="text-slate-500">({formatRelative(change.changedAt)})</span>
        </>
      )}
    </span>
  );
}

/** Every audited write between two syncs that this change stands for. */
export function AuditEntries({ change }: { change: ChangeView }) {
  if (!change.auditEntries.length) return null;
  return (
    <details className="mt-2 text-xs">
      <summary className="cursor-pointer text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200">
        {change.auditEntries.length === 1 ? "1 audited write" : `${change.auditEntries.length} audited writes between syncs`}
      </summary>
      <ul className="mt-1 space-y-0.5 pl-4">
        {change.auditEntries.map((e) => (
          <li key={e.id} className="font-mono">
            {formatUtc(e.at)} · {e.user ?? "unknown"} · {e.method} {e.url} → {e.status}
            {e.note ? <span className="font-sans text-slate-500"> ({e.note})</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
