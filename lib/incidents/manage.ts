// Changes to an incident after it was frozen: status/severity/owner/title, notes, and its link.
// The frozen evidence is never touched here.
import { ApiError } from "@/lib/api/errors";
import type { AuditContext } from "@/lib/audit/context";
import { recordAudit } from "@/lib/audit/record";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { mayManageLink, mayView, type IncidentViewer } from "./access";
import type { IncidentStatus, Severity, Visibility } from "./schema";
import { findOwner, lookupSlug } from "./service";
import { newSlug } from "./slug";
import { actorLabel } from "./viewer";

/** The incident behind a current link that the viewer may see, or the matching ApiError. */
async function currentIncident(db: PrismaClient, slug: string, viewer: IncidentViewer) {
  const found = await lookupSlug(db, slug);
  if (found.state === "unknown") throw new ApiError("not_found", "No incident at this link");
  if (found.state === "revoked") throw new ApiError("gone", "This incident link was revoked by its owner or an admin");
  const row = await db.incident.findUniqueOrThrow({ where: { id: found.id } });
  if (!mayView(viewer, row)) throw new ApiError("forbidden", "This incident is shared with responders only");
  return row;
}

export interface IncidentUpdate {
  status?: IncidentStatus;
  severity?: Severity;
  title?: string;
  ownerId?: string;
  visibility?: Visibility;
}

/** Fields only the owner or an admin may change (like revoking): who owns it, what it is called, who may see it. */
const OWNER_FIELDS = ["ownerId", "title", "visibility"] as const;

/**
 * Applies the changed fields; each change becomes a timeline event and the whole update one audit
 * row. Status and severity are any responder's to set; owner, title and visibility the owner's or
 * an admin's (403 otherwise, before anything changes).
 */
export async function updateIncident(db: PrismaClient, slug: string, patch: IncidentUpdate, viewer: IncidentViewer, audit: AuditContext): Promise<void> {
  const row = await currentIncident(db, slug, viewer);
  const ownerOnly = OWNER_FIELDS.filter((f) => patch[f] !== undefined && patch[f] !== (f === "ownerId" ? row.ownerId : row[f]));
  if (ownerOnly.length && !mayManageLink(viewer, row)) {
    throw new ApiError("forbidden", `Only the incident's owner or an admin can change its ${ownerOnly.map((f) => (f === "ownerId" ? "owner" : f)).join(", ")}`);
  }
  const data: Prisma.IncidentUpdateInput = {};
  const changes: { type: string; details: Record<string, unknown> }[] = [];
  if (patch.status && patch.status !== row.status) {
    data.status = patch.status;
    changes.push({ type: "status", details: { from: row.status, to: patch.status } });
  }
  if (patch.severity && patch.severity !== row.severity) {
    data.severity = patch.severity;
    changes.push({ type: "update", details: { field: "severity", from: row.severity, to: patch.severity } });
  }
  if (patch.title && patch.title !== row.title) {
    data.title = patch.title;
    changes.push({ type: "update", details: { field: "title", from: row.title, to: patch.title } });
  }
  if (patch.visibility && patch.visibility !== row.visibility) {
    data.visibility = patch.visibility;
    changes.push({ type: "update", details: { field: "visibility", from: row.visibility, to: patch.visibility } });
  }
  if (patch.ownerId && patch.ownerId !== row.ownerId) {
    const owner = await findOwner(db, patch.ownerId);
    data.ownerId = owner.id;
    data.ownerEmail = owner.email;
    changes.push({ type: "update", details: { field: "owner", from: row.ownerEmail, to: owner.email } });
  }
  if (!changes.length) return;
  const who = actorLabel(viewer);
  await db.incident.update({
    where: { id: row.id },
    data: { ...data, events: { create: changes.map((c) => ({ actor: who, type: c.type, details: c.details as Prisma.InputJsonValue })) } },
  });
  await recordAudit(db, { ...audit, action: "incident.update", target: { type: "incident", id: row.id }, details: { changes } });
}

export async function addNote(db: PrismaClient, slug: string, body: string, viewer: IncidentViewer, audit: AuditContext): Promise<{ id: string }> {
  const row = await currentIncident(db, slug, viewer);
  const who = actorLabel(viewer);
  const note = await db.incidentNote.create({ data: { incidentId: row.id, author: who, body } });
  await db.incidentEvent.create({ data: { incidentId: row.id, actor: who, type: "note", details: { noteId: note.id } } });
  await recordAudit(db, { ...audit, action: "incident.note", target: { type: "incident", id: row.id }, details: { noteId: note.id, length: body.length } });
  return { id: note.id };
}

/** Revokes the current link: it answers 410 from now on, for everyone, until someone re-shares. */
export async function revokeLink(db: PrismaClient, slug: string, viewer: IncidentViewer, audit: AuditContext): Promise<void> {
  const found = await lookupSlug(db, slug);
  if (found.state === "unknown") throw new ApiError("not_found", "No incident at this link");
  if (found.state === "revoked") throw new ApiError("gone", "This link is already revoked");
  const row = await db.incident.findUniqueOrThrow({ where: { id: found.id } });
  if (!mayManageLink(viewer, row)) throw new ApiError("forbidden", "Only the incident's owner or an admin can revoke its link");
  await db.incident.update({
    where: { id: row.id },
    data: {
      revokedAt: new Date(),
      revokedSlugs: row.revokedSlugs.includes(row.slug) ? undefined : { push: row.slug },
      events: { create: { actor: actorLabel(viewer), type: "revoked", details: {} } },
    },
  });
  await recordAudit(db, { ...audit, action: "incident.revoke", target: { type: "incident", id: row.id }, details: {} });
}

/** Issues a new link (the old one stays revoked, 410) and makes the incident reachable again. */
export async function reshareLink(db: PrismaClient, slug: string, viewer: IncidentViewer, audit: AuditContext): Promise<{ slug: string }> {
  const found = await lookupSlug(db, slug);
  if (found.state === "unknown") throw new ApiError("not_found", "No incident at this link");
  const row = await db.incident.findUniqueOrThrow({ where: { id: found.id } });
  if (!mayManageLink(viewer, row)) throw new ApiError("forbidden", "Only the incident's owner or an admin can re-share it");
  const fresh = newSlug(row.title);
  await db.incident.update({
    where: { id: row.id },
    data: {
      slug: fresh,
      revokedAt: null,
      revokedSlugs: row.revokedSlugs.includes(row.slug) ? undefined : { push: row.slug },
      events: { create: { actor: actorLabel(viewer), type: "reshared", details: {} } },
    },
  });
  await recordAudit(db, { ...audit, action: "incident.reshare", target: { type: "incident", id: row.id }, details: {} });
  return { slug: fresh };
}
