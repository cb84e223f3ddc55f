import { formatUtc } from "@/lib/format";
import type { IncidentEventJson, IncidentNoteJson } from "@/lib/incidents/types";

function eventText(e: IncidentEventJson, notes: Map<string, IncidentNoteJson>): React.ReactNode {
  const d = e.details;
  switch (e.type) {
    case "created": return <>created the incident ({String(d.severity ?? "").toUpperCase()}, owner {String(d.owner ?? "none")})</>;
    case "status": return <>changed the status from <strong>{String(d.from)}</strong> to <strong>{String(d.to)}</strong></>;
    case "update": return <>changed the {String(d.field)} from “{String(d.from ?? "—")}” to “{String(d.to ?? "—")}”</>;
    case "revoked": return <>revoked the link</>;
    case "reshared": return <>issued a new link</>;
    case "webhook_failed": return <>could not announce the incident on the webhook ({String(d.reason ?? "unknown reason")})</>;
    case "note": {
      const n = notes.get(String(d.noteId));
      return <>added a note:<span className="mt-1 block whitespace-pre-wrap rounded-lg bg-slate-50 px-3 py-2 text-slate-800 dark:bg-slate-950 dark:text-slate-200">{n?.body ?? "(note)"}</span></>;
    }
    default: return e.type;
  }
}

/** What happened to the incident after it was frozen, oldest first. */
export function IncidentTimeline({ events, notes }: { events: IncidentEventJson[]; notes: IncidentNoteJson[] }) {
  const byId = new Map(notes.map((n) => [n.id, n]));
  return (
    <ol className="space-y-3 border-l border-slate-200 pl-4 text-sm dark:border-slate-800" aria-label="Incident timeline" data-testid="incident-timeline">
      {events.map((e) => (
        <li key={e.id} className="relative">
          <span aria-hidden="true" className="absolute -left-[1.3rem] top-1.5 h-2 w-2 rounded-full bg-slate-400 dark:bg-slate-500" />
          <p className="text-xs text-slate-500 dark:text-slate-400">{formatUtc(e.at)} · {e.actor}</p>
          <div>{eventText(e, byId)}</div>
        </li>
      ))}
    </ol>
  );
}
