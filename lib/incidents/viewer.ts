import { actorCan, type Actor } from "@/lib/auth/session";
import type { IncidentViewer } from "./access";

/** The access facts of a session user or API token, for the incident checks. */
export function viewerOf(actor: Actor): IncidentViewer {
  return { type: actor.type, id: actor.id, email: actor.email, role: actor.role, can: (p) => actorCan(actor, p) };
}

/** How an incident names who did something: the email, or the token for bots. */
export function actorLabel(v: IncidentViewer): string {
  return v.email ?? `token:${v.id}`;
}
