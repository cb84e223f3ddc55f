import type { AccessRequest, PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { TykClient } from "@/lib/tyk/client";
import { createKey } from "@/lib/tyk/create-key";
import { deleteKey } from "@/lib/tyk/delete-key";
import { keyHashOf } from "@/lib/sync/tyk/snapshots";
import type { AccessConfig } from "../config";
import { keyExists } from "../key-exists";
import { recordCreatedKey, recordDeletedKey } from "../key-records";
import { addEvent } from "../timeline";
import { outcomeUnknown, tykFailure, type Who } from "../who";
import { apiVersions, temporaryKeySession } from "./key-session";

// Issuing and ending a temporary key. The key is made in the requester's own request (approval
// happens elsewhere, often by someone else): the raw key goes back in that answer only and is
// never stored. It is made with `expires` set, so Tyk refuses it at expiry even if Touchline is
// down; Touchline then deletes it and checks Tyk no longer has it.

export interface IssuedKey {
  request: AccessRequest;
  rawKey: string;
}

/** Makes the key of an approved request. Only the requester may collect it. */
export async function issueKey(db: PrismaClient, client: TykClient, config: AccessConfig, requestId: string, requester: { id: string; name: string | null }, who: Who): Promise<IssuedKey> {
  const req = await db.accessRequest.findUnique({ where: { id: requestId } });
  if (!req) throw new ApiError("not_found", "No such access request");
  if (req.requesterId !== requester.id) throw new ApiError("forbidden", "Only the requester can collect a temporary key");
  if (req.status !== "approved") throw new ApiError("conflict", req.status === "issued" ? "The key was issued already (it is shown only once)" : `The request is ${req.status}`);
  const claimed = await db.accessRequest.updateMany({ where: { id: req.id, status: "approved" }, data: { status: "issuing" } });
  if (!claimed.count) throw new ApiError("conflict", "The key is being issued by another request right now");

  const now = new Date();
  const expiresAt = new Date(now.getTime() + req.durationMinutes * 60_000);
  const apis = req.policyId ? [] : await db.api.findMany({ where: { id: { in: req.apiIds } }, select: { id: true, name: true, definition: true } });
  const session = temporaryKeySession({
    requestId: req.id, requesterEmail: req.requesterEmail, requesterName: requester.name ?? req.requesterName, policyId: req.policyId,
    apis: apis.map((a) => ({ id: a.id, name: a.name, versions: apiVersions(a.definition) })), expiresAt, ratePerMinute: config.requestRatePerMinute,
  });
  let created;
  try {
    created = await createKey(client, session);
  } catch (err) {
    const maybe = outcomeUnknown(err) ? ` Tyk may have made a key before the answer was lost; if a key "${req.requesterEmail}" appears under Keys, it was never shown and expires at ${expiresAt.toISOString()}.` : "";
    const message = `Tyk did not create the key: ${tykFailure(err)}.${maybe} Try again.`;
    await db.accessRequest.update({ where: { id: req.id }, data: { status: "approved", lastError: message } });
    await addEvent(db, "access_request", req.id, "issue_failed", req.requesterEmail, { error: message });
    throw new ApiError("upstream_unavailable", message);
  }
  const keyHash = keyHashOf({ key_id: created.rawKey, key_hash: created.keyHash });
  let last4: string | null = null;
  try {
    last4 = (await recordCreatedKey(db, client, keyHash, {
      action: "create", actor: req.decidedBy && !req.ruleId ? req.decidedBy : req.requesterEmail, at: now, method: "POST", url: "/api/keys", ref: req.id,
      note: `temporary access for ${req.requesterEmail} until ${expiresAt.toISOString()} (request ${req.id}${req.ruleId ? ", auto-approved" : `, approved by ${req.decidedBy}`})`,
    })).last4;
  } catch (err) {
    // The key exists and works; the next Tyk sync records it (with its identity) instead.
    await addEvent(db, "access_request", req.id, "record_pending", null, { error: tykFailure(err) });
  }
  const issued = await db.accessRequest.update({
    where: { id: req.id }, data: { status: "issued", keyHash, keyLast4: last4, issuedAt: now, expiresAt, lastError: null },
  });
  await addEvent(db, "access_request", req.id, "issued", req.requesterEmail, { keyHash, expiresAt: expiresAt.toISOString() }, now);
  await recordAudit(db, { ...who.audit, action: "access_request.issue", target: { type: "access_request", id: req.id }, details: { keyHash, expiresAt: expiresAt.toISOString() } });
  return { request: issued, rawKey: created.rawKey };
}

/**
 * Deletes an issued key in Tyk (at expiry, or revoked early) and checks Tyk no longer has it. A Tyk
 * failure leaves the request issued with the reason (expiry: the job retries; revocation: the
 * caller is told).
 */
export async function endTemporaryKey(db: PrismaClient, client: TykClient, req: AccessRequest, end: "expired" | "revoked", who: Who): Promise<AccessRequest> {
  const keyHash = req.keyHash!;
  const at = new Date();
  try {
    await deleteKey(client, keyHash);
    if (await keyExists(client, keyHash)) throw new Error("Tyk still has the key after the delete");
  } catch (err) {
    const message = `Could not delete the key in Tyk: ${tykFailure(err)}.${end === "expired" ? " Tyk refuses it anyway (its expiry has passed); the deletion will be retried." : ""}`;
    await db.accessRequest.update({ where: { id: req.id }, data: { lastError: message } });
    await addEvent(db, "access_request", req.id, `${end === "expired" ? "delete" : "revoke"}_failed`, who.email, { error: message });
    if (end === "revoked") throw new ApiError("upstream_unavailable", message);
    return req;
  }
  await recordDeletedKey(db, keyHash, {
    actor: who.email, at, method: "DELETE", url: `/api/keys/${keyHash}`, ref: req.id,
    note: end === "expired" ? `temporary access for ${req.requesterEmail} expired` : `temporary access for ${req.requesterEmail} revoked`,
  });
  const ended = await db.accessRequest.update({ where: { id: req.id }, data: { status: end, endedAt: at, verifiedAt: new Date(), lastError: null } });
  await addEvent(db, "access_request", req.id, end === "expired" ? "expired" : "revoked", who.email, { keyHash }, at);
  await addEvent(db, "access_request", req.id, "verified_gone", null, { keyHash });
  await recordAudit(db, { ...who.audit, action: `access_request.${end === "expired" ? "expire" : "revoke"}`, target: { type: "access_request", id: req.id }, details: { keyHash, verified: true } });
  return ended;
}
