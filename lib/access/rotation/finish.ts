import type { PrismaClient, Rotation } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { TykClient } from "@/lib/tyk/client";
import { deleteKey } from "@/lib/tyk/delete-key";
import { keyExists } from "../key-exists";
import { recordCreatedKey, recordDeletedKey } from "../key-records";
import { addEvent } from "../timeline";
import { tykFailure, type Who } from "../who";

// A key rotation, second half: at the end of the grace period (or earlier, on request) the old key
// is deleted — only after Tyk confirms the new key exists, and confirmed gone afterwards. A Tyk
// outage leaves the rotation in `grace` with the reason and a next attempt time; the job resumes it.

const RETRY_MS = 60_000;
const MAX_RETRY_MS = 30 * 60_000;

function backoff(attempts: number): Date {
  return new Date(Date.now() + Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** Math.min(attempts, 10)));
}

export type FinishOutcome = "completed" | "retry" | "failed" | "skipped";

async function retryLater(db: PrismaClient, r: Rotation, who: Who, message: string): Promise<FinishOutcome> {
  await db.rotation.update({ where: { id: r.id }, data: { lastError: message, nextAttemptAt: backoff(r.attempts) } });
  await addEvent(db, "rotation", r.id, "delete_failed", who.email, { error: message });
  return "retry";
}

/**
 * Deletes the old key of a rotation in its grace period. `force` ignores `deleteAfter` (deletion
 * requested early); the attempt is claimed first, so the job and a request never both run it.
 */
export async function deleteOldKey(db: PrismaClient, client: TykClient, rotationId: string, who: Who, opts: { force?: boolean } = {}): Promise<FinishOutcome> {
  const now = new Date();
  const claimed = await db.rotation.updateMany({
    where: {
      id: rotationId, kind: "key", state: "grace",
      ...(opts.force ? {} : { deleteAfter: { lte: now }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }),
    },
    // A lease: a crash mid-deletion is retried after it, not at once by another runner.
    data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + 5 * 60_000) },
  });
  if (!claimed.count) return "skipped";
  const r = (await db.rotation.findUnique({ where: { id: rotationId } }))!;
  const [oldHash, newHash] = [r.oldKeyHash!, r.newKeyHash!];
  let newExists: boolean;
  try {
    newExists = await keyExists(client, newHash);
  } catch (err) {
    return retryLater(db, r, who, `Could not confirm the new key exists: ${tykFailure(err)}. The old key is kept.`);
  }
  if (!newExists) {
    const message = "The new key no longer exists in Tyk, so the old key was kept: rotate again.";
    await db.rotation.update({ where: { id: r.id }, data: { state: "failed", lastError: message, nextAttemptAt: null, finishedAt: now } });
    await addEvent(db, "rotation", r.id, "failed", who.email, { error: message });
    await recordAudit(db, { ...who.audit, action: "key.rotate.failed", target: { type: "rotation", id: r.id }, details: { error: message } });
    return "failed";
  }
  let existed: boolean;
  try {
    existed = await deleteKey(client, oldHash);
    if (await keyExists(client, oldHash)) throw new Error("Tyk still has it after the delete");
  } catch (err) {
    return retryLater(db, r, who, `Could not delete the old key: ${tykFailure(err)}. It still works; the deletion will be retried.`);
  }
  await recordDeletedKey(db, oldHash, {
    actor: who.email, at: now, method: "DELETE", url: `/api/keys/${oldHash}`, ref: r.id, related: [newHash],
    note: opts.force ? "old key deleted early, on request (rotation)" : "grace period over (rotation)",
  });
  await db.rotation.update({ where: { id: r.id }, data: { state: "completed", finishedAt: now, finishedBy: who.email, lastError: null, nextAttemptAt: null } });
  await addEvent(db, "rotation", r.id, "old_key_deleted", who.email, { oldKeyHash: oldHash, alreadyGone: !existed, verified: true });
  await recordAudit(db, {
    ...who.audit, action: "key.rotate.complete", target: { type: "rotation", id: r.id },
    details: { oldKeyHash: oldHash, newKeyHash: newHash, early: Boolean(opts.force), alreadyGone: !existed },
  });
  return "completed";
}

/** Deletes the old key now instead of at the end of the grace period. */
export async function deleteOldKeyNow(db: PrismaClient, client: TykClient, rotationId: string, who: Who): Promise<FinishOutcome> {
  const r = await db.rotation.findUnique({ where: { id: rotationId } });
  if (!r || r.kind !== "key") throw new ApiError("not_found", "No such key rotation");
  if (r.state !== "grace") throw new ApiError("conflict", r.state === "creating" ? "The new key does not exist yet: the old key cannot be deleted" : `The rotation is ${r.state}`);
  await db.rotation.update({ where: { id: r.id }, data: { deleteAfter: new Date() } });
  await addEvent(db, "rotation", r.id, "delete_requested", who.email);
  await recordAudit(db, { ...who.audit, action: "key.rotate.delete_now", target: { type: "rotation", id: r.id }, details: { oldKeyHash: r.oldKeyHash } });
  return deleteOldKey(db, client, r.id, who, { force: true });
}

/** Stops a rotation: the old key is not deleted (a new key already made stays too). */
export async function cancelRotation(db: PrismaClient, rotationId: string, who: Who): Promise<Rotation> {
  const r = await db.rotation.findUnique({ where: { id: rotationId } });
  if (!r) throw new ApiError("not_found", "No such rotation");
  const done = await db.rotation.updateMany({
    where: { id: r.id, state: { in: ["creating", "grace"] } },
    data: { state: "cancelled", finishedAt: new Date(), finishedBy: who.email, nextAttemptAt: null },
  });
  if (!done.count) throw new ApiError("conflict", `The rotation is ${r.state}: nothing to cancel`);
  await addEvent(db, "rotation", r.id, "cancelled", who.email, { newKeyKept: Boolean(r.newKeyHash) });
  await recordAudit(db, { ...who.audit, action: "key.rotate.cancel", target: { type: "rotation", id: r.id }, details: { oldKeyHash: r.oldKeyHash, newKeyHash: r.newKeyHash } });
  return (await db.rotation.findUnique({ where: { id: r.id } }))!;
}

/** A new key made while recording it failed (Tyk answered the create, then not the read): record it now. */
export async function recordPendingNewKeys(db: PrismaClient, client: TykClient): Promise<number> {
  const pending = await db.rotation.findMany({ where: { kind: "key", state: "grace", newLast4: null, newKeyHash: { not: null } }, take: 20 });
  let done = 0;
  for (const r of pending) {
    try {
      const rec = await recordCreatedKey(db, client, r.newKeyHash!, {
        action: "rotate", replaces: r.oldKeyHash, actor: r.requestedBy, at: r.newCreatedAt ?? new Date(), method: "POST", url: "/api/keys",
        ref: r.id, note: `rotation of ${r.label} by Touchline`,
      });
      await db.rotation.update({ where: { id: r.id }, data: { newLast4: rec.last4 } });
      done++;
    } catch {
      // Tyk still unreachable: the next pass tries again.
    }
  }
  return done;
}
