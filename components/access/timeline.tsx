import { formatUtc } from "@/lib/format";

const LABELS: Record<string, string> = {
  planned: "Rotation planned", new_key_created: "New key created", create_failed: "New key not created", record_pending: "Recording the key waits for Tyk",
  delete_requested: "Early deletion requested", delete_failed: "Deletion failed (will retry)", old_key_deleted: "Old key deleted and checked gone",
  cancelled: "Cancelled", failed: "Failed", secret_regenerated: "Secret regenerated",
  requested: "Requested", auto_approved: "Approved by rule", approved: "Approved", denied: "Denied", issued: "Key issued to the requester",
  issue_failed: "Issuing failed", issue_interrupted: "Issuing interrupted", first_used: "First used", expired: "Expired: key deleted",
  revoke_requested: "Revocation requested", revoked: "Revoked: key deleted", revoke_failed: "Revocation failed", verified_gone: "Tyk confirms the key is gone",
  lapsed: "Approval lapsed (not collected)", webhook_failed: "Webhook failed",
};

function detail(d: Record<string, unknown>): string {
  const parts = Object.entries(d)
    .filter(([k]) => !["ruleId", "keyHash", "oldKeyHash", "newKeyHash"].includes(k))
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  return parts.join(" · ");
}

/** One rotation's or access request's steps, oldest first. */
export function Timeline({ events }: { events: { at: string; type: string; actor: string | null; details: Record<string, unknown> }[] }) {
  if (!events.length) return <p className="text-sm text-slate-500">Nothing yet.</p>;
  return (
    <ol className="relative flex flex-col gap-3 border-l border-slate-200 pl-4 dark:border-slate-700" aria-label="Timeline">
      {events.map((e, i) => (
        <li key={i} data-event={e.type} className="text-sm">
          <span className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border-2 border-white bg-brand-600 dark:border-slate-900" aria-hidden="true" />
          <span className="font-medium">{LABELS[e.type] ?? e.type}</span>
          <span className="text-xs text-slate-500"> · {formatUtc(e.at)}{e.actor ? ` · ${e.actor}` : ""}</span>
          {Object.keys(e.details).length > 0 && <p className="text-xs text-slate-500 dark:text-slate-400">{detail(e.details)}</p>}
        </li>
      ))}
    </ol>
  );
}
