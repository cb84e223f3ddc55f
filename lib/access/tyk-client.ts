import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { tykClientFor } from "@/lib/sync/connectors";
import type { TykClient } from "@/lib/tyk/client";

/** The Dashboard client for a write, or a clear 502 when Tyk is not configured at all. */
export async function tykClientOrFail(db: PrismaClient): Promise<TykClient> {
  const client = await tykClientFor(db);
  if (!client) throw new ApiError("upstream_unavailable", "Tyk is not configured (TYK_DASHBOARD_URL / TYK_DASHBOARD_API_KEY)");
  return client;
}
