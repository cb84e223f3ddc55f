/** The environment filter applied to one endpoint: an investigation asked for in one environment must be of an endpoint filed under it. */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { apiEnvironments, loadAliases } from "./load";
import { normaliseEnvironment } from "./normalise";

/**
 * The canonical environment `environment` (any spelling, or an alias) names, when the endpoint's API
 * is filed under it; otherwise an ApiError bad_request on `env` saying where the endpoint is filed, so
 * a link or script that mixes environments fails loudly instead of answering for the wrong one.
 * An unknown endpoint passes: the investigation answers its own 404.
 */
export async function checkEndpointEnvironment(db: PrismaClient, endpointId: string, environment: string): Promise<string> {
  const aliases = await loadAliases(db);
  const wanted = normaliseEnvironment(environment, aliases);
  const endpoint = await db.endpoint.findUnique({ where: { id: endpointId }, select: { apiId: true, method: true, path: true, api: { select: { name: true } } } });
  if (!endpoint) return wanted;
  const filed = (await apiEnvironments(db, Date.now(), aliases)).find((a) => a.apiId === endpoint.apiId)?.environment ?? null;
  if (filed === wanted) return wanted;
  const what = `${endpoint.method} ${endpoint.path} (${endpoint.api.name})`;
  throw new ApiError("bad_request", filed ? `${what} is in ${filed}, not ${wanted}` : `${what} declares no environment, so it is not in ${wanted}`, "env");
}
