import type { AccessRequest, PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { TykClient } from "@/lib/tyk/client";
import { addEvent } from "../timeline";
import type { Who } from "../who";
import { endTemporaryKey } from "./issue";
import { maySee, rulesOf, type Person } from "./people";
import { approvalRight } from "./rules";
import { notify } from "./webhook";

/** The request if `person` may see it; a request they may not see is "not found" (its existence is not theirs to learn). */
export async function visibleRequest(db: PrismaClient, id: string, person: Person): Promise<AccessRequest> {
  const req = await db.accessRequest.findUnique({ where: { id } });
  if (!req || !maySee(person, req, await rulesOf(db))) throw new ApiError("not_found", "No such access request");
  return req;
}

/** Approves or denies a pending request. Approvers: admins, or the IdP groups of a rule that covers it; never the requester. */
export async function decideRequest(db: PrismaClient, id: string, decision: "approve" | "deny", note: string | undefined, person: Person, who: Who): Promise<AccessRequest> {
  const req = await db.accessRequest.findUnique({ where: { id } });
  if (!req) throw new ApiError("not_found", "No such access request");
  // Ids are unguessable: saying "not yours to decide" (rather than "not found") tells nothing away.
  const right = approvalRight(person, req, await rulesOf(db));
  if (!right.ok) throw new ApiError("forbidden", right.reason);
  const status = decision === "approve" ? "approved" : "denied";
  const now = new Date();
  const done = await db.accessRequest.updateMany({
    where: { id, status: "pending" },
    data: { status, decidedBy: person.email, decidedAt: now, decisionNote: note || null },
  });
  if (!done.count) throw new ApiError("conflict", `The request is ${req.status}: it was decided already`);
  await addEvent(db, "access_request", id, status, person.email, note ? { note } : {}, now);
  await recordAudit(db, { ...who.audit, action: `access_request.${decision}`, target: { type: "access_request", id }, details: { requester: req.requesterEmail, target: req.targetLabel, ...(note ? { note } : {}) } });
  const decided = (await db.accessRequest.findUnique({ where: { id } }))!;
  void notify(db, status, decided);
  return decided;
}

/**
 * Ends a request early: a pending or approved one is cancelled (by its requester), an issued one is
 * revoked (by its requester or an admin) — its key deleted in Tyk now and checked gone.
 */
export async function withdrawRequest(db: PrismaClient, client: TykClient | null, id: string, person: Person, who: Who): Promise<AccessRequest> {
  const req = await visibleRequest(db, id, person);
  const own = req.requesterId === person.id;
  if (req.status === "pending" || req.status === "approved") {
    if (!own) throw new ApiError("forbidden", "Only the requester can cancel a request; approvers deny it");
    const done = await db.accessRequest.updateMany({ where: { id, status: req.status }, data: { status: "cancelled" } });
    if (!done.count) throw new ApiError("conflict", "The request changed meanwhile: reload it");
    await addEvent(db, "access_request", id, "cancelled", person.email);
    await recordAudit(db, { ...who.audit, action: "access_request.cancel", target: { type: "access_request", id } });
    return (await db.accessRequest.findUnique({ where: { id } }))!;
  }
  if (req.status !== "issued") throw new ApiError("conflict", `The request is ${req.status}: nothing to withdraw`);
  if (!own && !person.approvesAll) throw new ApiError("forbidden", "Only the requester or an admin can revoke an issued key");
  if (!client) throw new ApiError("upstream_unavailable", "Tyk is not configured: the key cannot be deleted");
  await addEvent(db, "access_request", id, "revoke_requested", person.email);
  return endTemporaryKey(db, client, req, "revoked", who);
}
