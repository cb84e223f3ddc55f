// Incidents over Prisma: create (freeze), open by link, list, and the people who can own one.
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { AuditContext } from "@/lib/audit/context";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { TraceUiConfig } from "@/lib/queries/endpoint-page";
import { mayManageLink, mayView, type IncidentViewer } from "./access";
import { freezeEvidence } from "./freeze";
import { incidentJson, listItem } from "./json";
import { notifyIncidentCreated } from "./webhook";
import type { ListIncidentsQuery, Severity, Visibility } from "./schema";
import { newSlug } from "./slug";
import type { IncidentJson, IncidentListItem, OwnerOption } from "./types";
import { actorLabel } from "./viewer";
import { likeLiteral } from "@/lib/queries/like";
import { environmentEndpoints } from "@/lib/environments/load";

const OWNER_ROLES = ["responder", "admin"];
export const withTimeline = { notes: { orderBy: { createdAt: "asc" } }, events: { orderBy: { at: "asc" } } } as const;

export interface CreateIncidentInput {
  endpointId: string;
  from: number;
  to: number;
  title: string;
  severity: Severity;
  visibility: Visibility;
  ownerId?: string;
  /** Freeze the investigation of this user type's callers only. */
  userType?: string;
}

/** Someone who may own an incident: a console user with a responder or admin role. */
export async function findOwner(db: PrismaClient, id: string): Promise<OwnerOption> {
  const u = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
  if (!u || !OWNER_ROLES.includes(u.role)) throw new ApiError("bad_request", "ownerId: not a responder or admin of this console", "ownerId");
  return u;
}

/**
 * Freezes the endpoint's investigation for the window into a new incident and audits it.
 * The owner defaults to the creator. Throws ApiError not_found for an unknown endpoint.
 */
export async function createIncident(
  db: PrismaClient, input: CreateIncidentInput, viewer: IncidentViewer, audit: AuditContext, opts: { traceUi?: TraceUiConfig | null } = {},
): Promise<{ id: string; slug: string }> {
  const owner = input.ownerId ? await findOwner(db, input.ownerId) : viewer.type === "user" ? { id: viewer.id, email: viewer.email } : null;
  const frozen = await freezeEvidence(db, { endpointId: input.endpointId, from: input.from, to: input.to, userType: input.userType, traceUi: opts.traceUi });
  const e = frozen.investigation.endpoint;
  const who = actorLabel(viewer);
  const row = await db.incident.create({
    data: {
      slug: newSlug(input.title), title: input.title, severity: input.severity, visibility: input.visibility,
      ownerId: owner?.id ?? null, ownerEmail: owner?.email ?? null, createdBy: who,
      endpointId: e.id, endpointLabel: `${e.method} ${e.path}`, windowFrom: new Date(input.from), windowTo: new Date(input.to),
      summary: frozen.investigation.verdict.summary, frozen: frozen as unknown as Prisma.InputJsonValue,
      events: { create: { actor: who, type: "created", details: { severity: input.severity, owner: owner?.email ?? null, visibility: input.visibility } } },
    },
    select: { id: true, slug: true },
  });
  await recordAudit(db, {
    ...audit, action: "incident.create", target: { type: "incident", id: row.id },
    details: { title: input.title, severity: input.severity, visibility: input.visibility, endpointId: e.id, owner: owner?.email ?? null },
  });
  void notifyIncidentCreated(db, {
    id: row.id, slug: row.slug, title: input.title, severity: input.severity, visibility: input.visibility,
    endpointLabel: `${e.method} ${e.path}`, summary: frozen.investigation.verdict.summary, createdBy: who,
  });
  return row;
}

export type SlugLookup =
  | { state: "current"; id: string }
  | { state: "revoked"; id: string; currentSlug: string | null }
  | { state: "unknown" };

/** A link is current, revoked (revoked now, or replaced by a re-share), or unknown. */
export async function lookupSlug(db: PrismaClient, slug: string): Promise<SlugLookup> {
  const cur = await db.incident.findUnique({ where: { slug }, select: { id: true, revokedAt: true } });
  if (cur) return cur.revokedAt ? { state: "revoked", id: cur.id, currentSlug: null } : { state: "current", id: cur.id };
  const old = await db.incident.findFirst({ where: { revokedSlugs: { has: slug } }, select: { id: true, slug: true, revokedAt: true } });
  if (old) return { state: "revoked", id: old.id, currentSlug: old.revokedAt ? null : old.slug };
  return { state: "unknown" };
}

export type OpenResult =
  | { state: "ok"; incident: IncidentJson }
  | { state: "not_found" }
  | { state: "forbidden" }
  | { state: "gone"; canManageLink: boolean; currentSlug: string | null; title: string | null };

/** Opens an incident by its link for this viewer; a successful view is audited (incident.view). */
export async function openIncident(db: PrismaClient, slug: string, viewer: IncidentViewer, audit: AuditContext, baseUrl: string): Promise<OpenResult> {
  const res = await readIncident(db, slug, viewer, baseUrl);
  if (res.state === "ok") {
    await recordAudit(db, { ...audit, action: "incident.view", target: { type: "incident", id: res.incident.id }, details: { slug } });
  }
  return res;
}

/** openIncident without the audit row: for answering a write with the incident's new state. */
export async function readIncident(db: PrismaClient, slug: string, viewer: IncidentViewer, baseUrl: string): Promise<OpenResult> {
  const found = await lookupSlug(db, slug);
  if (found.state === "unknown") return { state: "not_found" };
  const row = await db.incident.findUniqueOrThrow({ where: { id: found.id }, include: withTimeline });
  if (found.state === "revoked") {
    const manage = mayManageLink(viewer, row);
    // Only someone who could re-share learns the title or where the incident lives now.
    return { state: "gone", canManageLink: manage, currentSlug: manage ? found.currentSlug : null, title: manage ? row.title : null };
  }
  if (!mayView(viewer, row)) return { state: "forbidden" };
  return { state: "ok", incident: incidentJson(row, viewer, baseUrl) };
}

/** The API's reading of openIncident: 404 / 410 / 403 as ApiErrors. */
export function requireOpen(res: OpenResult): IncidentJson {
  if (res.state === "ok") return res.incident;
  if (res.state === "not_found") throw new ApiError("not_found", "No incident at this link");
  if (res.state === "gone") throw new ApiError("gone", "This incident link was revoked by its owner or an admin");
  throw new ApiError("forbidden", "This incident is shared with responders only");
}

/**
 * Newest first, filtered; incidents the viewer may not open are left out. A revoked incident shows
 * its title, verdict and owner only to those who could re-share it; to everyone else it is a row
 * without them, and a title or owner filter never finds it (the filter would tell what it hides).
 */
export async function listIncidents(db: PrismaClient, q: ListIncidentsQuery, viewer: IncidentViewer): Promise<IncidentListItem[]> {
  if (q.owner === "me" && viewer.type === "token") throw new ApiError("bad_request", "owner: \"me\" needs a signed-in user (an API token owns no incidents)", "owner");
  if (q.owner === "me" && !viewer.email) return [];
  const owner = q.owner === "me" ? viewer.email! : q.owner?.trim().toLowerCase();
  const inEnvironment = q.env ? (await environmentEndpoints(db, q.env)).endpointIds : null;
  const rows = await db.incident.findMany({
    where: {
      ...(inEnvironment ? { endpointId: { in: inEnvironment } } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(owner ? { ownerEmail: owner } : {}),
      ...(q.q?.trim() ? { OR: [{ title: { contains: likeLiteral(q.q.trim()), mode: "insensitive" } }, { endpointLabel: { contains: likeLiteral(q.q.trim()), mode: "insensitive" } }] } : {}),
      ...(viewer.can("incidents:write") ? {} : { visibility: "all" }),
    },
    orderBy: { createdAt: "desc" },
    take: q.limit,
  });
  const searched = Boolean(owner || q.q?.trim());
  return rows
    .filter((r) => mayView(viewer, r))
    .flatMap((r) => {
      if (!r.revokedAt || mayManageLink(viewer, r)) return [listItem(r)];
      return searched ? [] : [{ ...listItem(r), title: null, summary: null, ownerEmail: null }];
    });
}

/** People who can own an incident, for the owner picker. */
export async function listOwners(db: PrismaClient): Promise<OwnerOption[]> {
  return db.user.findMany({ where: { role: { in: OWNER_ROLES } }, select: { id: true, email: true, name: true, role: true }, orderBy: { email: "asc" } });
}
