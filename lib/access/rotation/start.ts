import type { PrismaClient, Rotation } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { TykClient } from "@/lib/tyk/client";
import { createKey } from "@/lib/tyk/create-key";
import { TykNotFoundError } from "@/lib/tyk/errors";
import { getKeyById } from "@/lib/tyk/get-key-by-id";
import { keyHashOf } from "@/lib/sync/tyk/snapshots";
import { recordCreatedKey } from "../key-records";
import { addEvent } from "../timeline";
import { outcomeUnknown, tykFailure, type Who } from "../who";
import { rotationSession } from "./session";

// A key rotation, first half: plan it, then create the new key through the Dashboard API in the
// admin's own request — the only moment the raw key exists in Touchline, handed back to that admin
// once. A Tyk outage leaves the rotation in `creating` with the reason, the old key untouched; the
// admin retries. Nothing ever deletes the old key from this state.

export const ACTIVE_STATES = ["creating", "grace"] as const;

/** The raw key is in the answer to the request that made it, and nowhere else. */
export interface NewKey {
  rotation: Rotation;
  rawKey: string;
}

/** Plans a rotation of a stored key and creates its new key at once. */
export async function startKeyRotation(db: PrismaClient, client: TykClient, input: { keyHash: string; graceHours: number }, who: Who): Promise<NewKey> {
  const key = await db.key.findUnique({ where: { keyHash: input.keyHash } });
  if (!key || key.deletedAt) throw new ApiError("not_found", "No such key (or it was deleted)");
  const rotation = await db.$transaction(async (tx) => {
    // One active rotation per key: a second would make a third key.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rotation:${input.keyHash}`}))`;
    const active = await tx.rotation.findFirst({ where: { oldKeyHash: input.keyHash, state: { in: [...ACTIVE_STATES] } } });
    if (active) throw new ApiError("conflict", `This key is already being rotated (rotation ${active.id}, ${active.state})`);
    const r = await tx.rotation.create({
      data: {
        kind: "key", state: "creating", label: key.alias ?? `…${key.last4 ?? ""}`, oldKeyHash: key.keyHash,
        graceSeconds: Math.round(input.graceHours * 3600), requestedBy: who.email,
      },
    });
    await addEvent(tx, "rotation", r.id, "planned", who.email, { graceHours: input.graceHours, oldKeyHash: key.keyHash });
    return r;
  });
  await recordAudit(db, { ...who.audit, action: "key.rotate.plan", target: { type: "rotation", id: rotation.id }, details: { keyHash: key.keyHash, graceHours: input.graceHours } });
  return createNewKey(db, client, rotation.id, who);
}

async function fail(db: PrismaClient, r: Rotation, who: Who, state: "creating" | "failed", message: string): Promise<never> {
  await db.rotation.update({ where: { id: r.id }, data: { state, lastError: message } });
  await addEvent(db, "rotation", r.id, state === "failed" ? "failed" : "create_failed", who.email, { error: message });
  await recordAudit(db, { ...who.audit, action: "key.rotate.create_failed", target: { type: "rotation", id: r.id }, details: { error: message } });
  throw new ApiError(state === "failed" ? "conflict" : "upstream_unavailable", message);
}

/**
 * Creates the new key of a rotation in `creating` (the first try, or a retry after an outage):
 * reads the old key's session from Tyk, creates a key with it, records it as a `rotate` access
 * change. Concurrent calls cannot both create: each claims the attempt first.
 */
export async function createNewKey(db: PrismaClient, client: TykClient, rotationId: string, who: Who): Promise<NewKey> {
  const r = await db.rotation.findUnique({ where: { id: rotationId } });
  if (!r || r.kind !== "key") throw new ApiError("not_found", "No such key rotation");
  if (r.state !== "creating") throw new ApiError("conflict", `The rotation is ${r.state}: its new key ${r.newKeyHash ? "exists already" : "will not be made"}`);
  const claimed = await db.rotation.updateMany({ where: { id: r.id, state: "creating", attempts: r.attempts }, data: { attempts: { increment: 1 } } });
  if (!claimed.count) throw new ApiError("conflict", "Another request is creating this rotation's new key right now");

  let session: Record<string, unknown>;
  try {
    session = rotationSession((await getKeyById(client, r.oldKeyHash!, { hashed: true })).data);
  } catch (err) {
    if (err instanceof TykNotFoundError) return fail(db, r, who, "failed", "The old key no longer exists in Tyk: nothing to rotate");
    return fail(db, r, who, "creating", `Could not read the old key from Tyk: ${tykFailure(err)}. The old key is untouched; try again.`);
  }
  let created;
  try {
    created = await createKey(client, session);
  } catch (err) {
    const maybe = outcomeUnknown(err)
      ? ` Tyk may have made a key before the answer was lost: if a second key "${r.label}" appears under Keys, it was never shown to anyone — delete it.`
      : "";
    return fail(db, r, who, "creating", `Tyk did not create the new key: ${tykFailure(err)}.${maybe} The old key is untouched; try again.`);
  }
  const newHash = keyHashOf({ key_id: created.rawKey, key_hash: created.keyHash });
  const now = new Date();
  // The key exists in Tyk from here on: the rotation moves to its grace period whatever happens next.
  let updated = await db.rotation.update({
    where: { id: r.id },
    data: { state: "grace", newKeyHash: newHash, newCreatedAt: now, deleteAfter: new Date(now.getTime() + r.graceSeconds * 1000), lastError: null },
  });
  try {
    const rec = await recordCreatedKey(db, client, newHash, {
      action: "rotate", replaces: r.oldKeyHash, actor: who.email, at: now, method: "POST", url: "/api/keys", ref: r.id,
      note: `rotation of ${r.label} by Touchline`,
    });
    updated = await db.rotation.update({ where: { id: r.id }, data: { newLast4: rec.last4 } });
  } catch (err) {
    // The background job records it on its next pass (lib/access/rotation/finish.ts).
    await addEvent(db, "rotation", r.id, "record_pending", who.email, { error: tykFailure(err) });
  }
  await addEvent(db, "rotation", r.id, "new_key_created", who.email, { newKeyHash: newHash, deleteAfter: updated.deleteAfter?.toISOString() });
  await recordAudit(db, {
    ...who.audit, action: "key.rotate.create", target: { type: "rotation", id: r.id },
    details: { oldKeyHash: r.oldKeyHash, newKeyHash: newHash, deleteAfter: updated.deleteAfter?.toISOString() },
  });
  return { rotation: updated, rawKey: created.rawKey };
}
