import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { EndpointJson } from "./result";
import { readRows } from "./sql";

/** The endpoint with its API's name, or a not_found ApiError (→ 404). */
export async function findEndpoint(db: PrismaClient, id: string): Promise<EndpointJson> {
  const [e] = await readRows<EndpointJson>(db, Prisma.sql`
    SELECT e.id, e.api_id AS "apiId", a.name AS "apiName", e.method, e.path, e.operation
    FROM endpoints e JOIN apis a ON a.id = e.api_id WHERE e.id = ${id}`, { prepared: true, lookup: true });
  if (!e) throw new ApiError("not_found", `No endpoint with id ${id}`);
  return { id: e.id, apiId: e.apiId, apiName: e.apiName, method: e.method, path: e.path, operation: e.operation };
}
