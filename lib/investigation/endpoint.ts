import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { EndpointJson } from "./result";

/** The endpoint with its API's name, or a not_found ApiError (→ 404). */
export async function findEndpoint(db: PrismaClient, id: string): Promise<EndpointJson> {
  const e = await db.endpoint.findUnique({ where: { id }, include: { api: { select: { name: true } } } });
  if (!e) throw new ApiError("not_found", `No endpoint with id ${id}`);
  return { id: e.id, apiId: e.apiId, apiName: e.api.name, method: e.method, path: e.path, operation: e.operation };
}
