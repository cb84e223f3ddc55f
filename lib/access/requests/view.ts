import type { AccessRequest, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { timelineOf, type TimelineEvent } from "../timeline";
import { maySee, rulesOf, type Person } from "./people";
import { approvalRight } from "./rules";

/** A request as the console shows it: never a key, only its hash and last 4. */
export type RequestView = Omit<AccessRequest, "requesterGroups" | "updatedAt"> & { canDecide: boolean; canRevoke: boolean; canCollect: boolean };

export function requestView(r: AccessRequest, person: Person, canDecide: boolean): RequestView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- left out of the view
  const { requesterGroups, updatedAt, ...rest } = r;
  const own = r.requesterId === person.id;
  return {
    ...rest,
    canDecide: canDecide && r.status === "pending",
    canRevoke: r.status === "issued" ? own || person.approvesAll : (r.status === "pending" || r.status === "approved") && own,
    canCollect: own && r.status === "approved",
  };
}

export type RequestScope = "mine" | "to_approve" | "all";

/**
 * Requests `person` may see, newest first: their own (`mine`), the ones they may decide
 * (`to_approve`: pending and not theirs), or everything visible to them (`all`).
 */
export async function listRequests(db: PrismaClient, person: Person, scope: RequestScope, status?: string, limit = 100): Promise<RequestView[]> {
  const rules = await rulesOf(db);
  const where: Prisma.AccessRequestWhereInput = {
    ...(status ? { status } : {}),
    ...(scope === "mine" ? { requesterId: person.id } : scope === "to_approve" ? { status: "pending", requesterId: { not: person.id } } : {}),
  };
  // Who may decide depends on groups and rules, so non-admins' candidates are filtered here; the
  // visible set is small (people see their own and the few their groups approve).
  const rows = await db.accessRequest.findMany({ where, orderBy: { createdAt: "desc" }, take: person.approvesAll || scope === "mine" ? limit : limit * 5 });
  return rows
    .filter((r) => maySee(person, r, rules))
    .map((r) => requestView(r, person, approvalRight(person, r, rules).ok))
    .filter((v) => scope !== "to_approve" || v.canDecide)
    .slice(0, limit);
}

export async function requestDetail(db: PrismaClient, r: AccessRequest, person: Person): Promise<{ request: RequestView; timeline: TimelineEvent[] }> {
  const rules = await rulesOf(db);
  return { request: requestView(r, person, approvalRight(person, r, rules).ok), timeline: await timelineOf(db, "access_request", r.id) };
}

export interface RequestEventRow {
  requestId: string;
  requester: string;
  target: string;
  reason: string;
  durationMinutes: number;
  status: string;
  keyHash: string | null;
  at: Date;
  event: string;
  actor: string | null;
  details: unknown;
}

export const REQUEST_EXPORT_COLUMNS: readonly { header: string; value: (r: RequestEventRow) => unknown }[] = [
  { header: "request_id", value: (r) => r.requestId },
  { header: "requester", value: (r) => r.requester },
  { header: "target", value: (r) => r.target },
  { header: "reason", value: (r) => r.reason },
  { header: "duration_minutes", value: (r) => r.durationMinutes },
  { header: "status", value: (r) => r.status },
  { header: "key_hash", value: (r) => r.keyHash },
  { header: "at", value: (r) => r.at },
  { header: "event", value: (r) => r.event },
  { header: "actor", value: (r) => r.actor },
  { header: "details", value: (r) => r.details },
];

/** Every request's timeline as rows (one per event), oldest first, in keyset pages: the SOC 2 evidence export. */
export async function* requestEventPages(db: PrismaClient, range: { from?: Date; to?: Date }, batch = 1000): AsyncGenerator<RequestEventRow[]> {
  let cursor: bigint | undefined;
  const requests = new Map<string, AccessRequest | null>();
  for (;;) {
    const events = await db.accessEvent.findMany({
      where: { subjectType: "access_request", ...(range.from || range.to ? { at: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } } : {}) },
      orderBy: { id: "asc" }, take: batch, ...(cursor !== undefined ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!events.length) return;
    const missing = [...new Set(events.map((e) => e.subjectId))].filter((id) => !requests.has(id));
    for (const r of await db.accessRequest.findMany({ where: { id: { in: missing } } })) requests.set(r.id, r);
    yield events.map((e) => {
      const r = requests.get(e.subjectId);
      return {
        requestId: e.subjectId, requester: r?.requesterEmail ?? "", target: r?.targetLabel ?? "", reason: r?.reason ?? "", durationMinutes: r?.durationMinutes ?? 0,
        status: r?.status ?? "", keyHash: r?.keyHash ?? null, at: e.at, event: e.type, actor: e.actor, details: e.details,
      };
    });
    cursor = events[events.length - 1].id;
  }
}
