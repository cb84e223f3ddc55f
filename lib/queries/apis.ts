import type { PrismaClient } from "@/lib/generated/prisma/client";
import { latestChangeByTarget, type ChangeView } from "./access-changes";

export interface ApiListItem {
  id: string;
  name: string;
  listenPath: string;
  active: boolean;
  version: number;
  syncedAt: Date;
  lastChange: ChangeView | null;
  endpoints: { id: string; method: string; path: string; operation: string | null; mappingSource: string }[];
}

/** Live APIs with their endpoints and the newest change to each API definition. */
export async function listApis(db: PrismaClient): Promise<ApiListItem[]> {
  const rows = await db.api.findMany({
    where: { deletedAt: null },
    orderBy: { name: "asc" },
    include: { endpoints: { orderBy: [{ path: "asc" }, { method: "asc" }], select: { id: true, method: true, path: true, operation: true, mappingSource: true } } },
  });
  const changes = await latestChangeByTarget(db, "api", rows.map((a) => a.id));
  return rows.map((a) => ({
    id: a.id, name: a.name, listenPath: a.listenPath, active: a.active, version: a.version, syncedAt: a.syncedAt,
    lastChange: changes.get(a.id) ?? null, endpoints: a.endpoints,
  }));
}
