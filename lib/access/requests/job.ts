import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record";
import { SYSTEM_ACTOR } from "@/lib/audit/context";
import type { TykClient } from "@/lib/tyk/client";
import { keyTraffic } from "../key-traffic";
import { addEvent } from "../timeline";
import { AUTOMATIC, systemOnBehalfOf } from "../who";
import { endTemporaryKey } from "./issue";

/** An approval not collected within this time lapses: the key is never made. */
export const APPROVAL_VALID_MS = 24 * 3_600_000;
const RETRY_AFTER_MS = 5 * 60_000;
/** An issue interrupted (process killed mid-create) is handed back to the requester after this long. */
const ISSUING_STUCK_MS = 10 * 60_000;

/** Deletes the keys of requests whose time is up (and checks Tyk no longer has them). Returns how many ended. */
export async function expireDueRequests(db: PrismaClient, client: TykClient, now = new Date()): Promise<number> {
  // After a failed deletion, wait a few minutes before the next try (Tyk refuses the key meanwhile anyway).
  const due = await db.accessRequest.findMany({
    where: { status: "issued", expiresAt: { lte: now }, OR: [{ lastError: null }, { updatedAt: { lt: new Date(now.getTime() - RETRY_AFTER_MS) } }] },
    orderBy: { expiresAt: "asc" }, take: 50,
  });
  let ended = 0;
  for (const req of due) {
    const after = await endTemporaryKey(db, client, req, "expired", systemOnBehalfOf(AUTOMATIC));
    if (after.status === "expired") ended++;
  }
  return ended;
}

/** Approvals nobody collected lapse; issues cut short by a crash go back to approved. */
export async function tidyRequests(db: PrismaClient, now = new Date()): Promise<void> {
  const lapsed = await db.accessRequest.findMany({ where: { status: "approved", decidedAt: { lt: new Date(now.getTime() - APPROVAL_VALID_MS) } }, select: { id: true } });
  for (const { id } of lapsed) {
    const done = await db.accessRequest.updateMany({ where: { id, status: "approved" }, data: { status: "lapsed" } });
    if (!done.count) continue;
    await addEvent(db, "access_request", id, "lapsed", null, { afterHours: APPROVAL_VALID_MS / 3_600_000 });
    await recordAudit(db, { actor: SYSTEM_ACTOR, action: "access_request.lapse", target: { type: "access_request", id } });
  }
  const stuck = await db.accessRequest.findMany({ where: { status: "issuing", updatedAt: { lt: new Date(now.getTime() - ISSUING_STUCK_MS) } }, select: { id: true, requesterEmail: true } });
  for (const r of stuck) {
    const message = `Issuing was interrupted. If a key "${r.requesterEmail}" appears under Keys without being shown to you, it is unused and expires by itself; collect a new one.`;
    await db.accessRequest.updateMany({ where: { id: r.id, status: "issuing" }, data: { status: "approved", lastError: message } });
    await addEvent(db, "access_request", r.id, "issue_interrupted", null, { error: message });
  }
}

/** Marks the first request made with each issued key, from request records (as far as ingested). */
export async function markFirstUse(db: PrismaClient, now = new Date()): Promise<number> {
  // Ended keys stay open for a while: their last requests may still be on their way through ingest.
  const open = await db.accessRequest.findMany({
    where: {
      firstUsedAt: null, keyHash: { not: null }, issuedAt: { not: null },
      OR: [{ status: "issued" }, { status: { in: ["expired", "revoked"] }, endedAt: { gte: new Date(now.getTime() - 2 * 3_600_000) } }],
    },
    take: 200,
  });
  let marked = 0;
  for (const req of open) {
    const t = (await keyTraffic(db, [req.keyHash!], req.issuedAt!)).get(req.keyHash!);
    if (!t?.firstAt) continue;
    await db.accessRequest.update({ where: { id: req.id }, data: { firstUsedAt: t.firstAt } });
    await addEvent(db, "access_request", req.id, "first_used", req.requesterEmail, { requestsSoFar: t.requests }, t.firstAt);
    marked++;
  }
  return marked;
}
