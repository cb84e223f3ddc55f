// Who may see and manage an incident. Pure: the callers pass what they know about the actor.
import type { Permission } from "@/lib/auth/permissions";
import type { Visibility } from "./schema";

export interface IncidentViewer {
  type: "user" | "token";
  id: string;
  email: string | null;
  role: string;
  can: (p: Permission) => boolean;
}

export interface IncidentAccessFacts {
  visibility: string;
  ownerId: string | null;
  ownerEmail: string | null;
}

/** Everyone with incidents:read sees an "all" incident; a "responders" one needs incidents:write too. */
export function mayView(viewer: IncidentViewer, inc: { visibility: string }): boolean {
  if (!viewer.can("incidents:read")) return false;
  return (inc.visibility as Visibility) === "all" || viewer.can("incidents:write");
}

/** Revoking and re-sharing the link: the owner or an admin (a session user — never a bot token). */
export function mayManageLink(viewer: IncidentViewer, inc: IncidentAccessFacts): boolean {
  if (viewer.type !== "user") return false;
  if (viewer.role === "admin") return true;
  return (!!inc.ownerId && inc.ownerId === viewer.id) || (!!inc.ownerEmail && !!viewer.email && inc.ownerEmail === viewer.email);
}
