import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";

const query = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  actor: z.string().max(320).optional(),
  action: z.string().max(100).optional(),
});

export const GET = apiRoute({ permission: "audit:read", query }, async ({ query }) => {
  const events = await db.auditEvent.findMany({
    where: { ...(query.actor ? { actorEmail: query.actor } : {}), ...(query.action ? { action: query.action } : {}) },
    orderBy: { id: "desc" },
    take: query.limit,
  });
  return { events: events.map((e) => ({ ...e, id: String(e.id) })) };
});
