import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

export type SubjectType = "rotation" | "access_request";

export interface TimelineEvent {
  at: Date;
  type: string;
  actor: string | null;
  details: Record<string, unknown>;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Appends one step to a rotation's or access request's timeline. */
export async function addEvent(
  db: Db,
  subjectType: SubjectType,
  subjectId: string,
  type: string,
  actor: string | null,
  details: Record<string, unknown> = {},
  at = new Date(),
): Promise<void> {
  await db.accessEvent.create({ data: { subjectType, subjectId, type, actor, details: details as Prisma.InputJsonValue, at } });
}

/** A subject's timeline, oldest first. */
export async function timelineOf(db: PrismaClient, subjectType: SubjectType, subjectId: string): Promise<TimelineEvent[]> {
  const rows = await db.accessEvent.findMany({ where: { subjectType, subjectId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({ at: r.at, type: r.type, actor: r.actor, details: (r.details ?? {}) as Record<string, unknown> }));
}
