import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { LatencySplit, TimeWindow } from "@/lib/analysis";
import { at, readRows } from "./sql";

/**
 * p99 of the upstream's own time (Tyk Pump's latency_upstream) and of the gateway's own time (the
 * rest of the total) over the served requests of B and of I. Read only for a spike nothing
 * explains, to say whether the time went behind the gateway or inside it; the columns are not in
 * the covering index, so this reads the windows' rows.
 */
export async function loadLatencySplit(db: PrismaClient, endpointId: string, B: TimeWindow, I: TimeWindow): Promise<LatencySplit> {
  const rows = await readRows<{ incident: boolean; upstream: number | null; gateway: number | null }>(db, Prisma.sql`
    SELECT ts >= ${at(I.from)} AS incident,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY upstream_ms)::float8 AS upstream,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY greatest(0, latency_ms - upstream_ms))::float8 AS gateway
    FROM request_records
    WHERE endpoint_id = ${endpointId} AND upstream_ms IS NOT NULL AND status NOT IN (429, 403)
      AND ((ts >= ${at(B.from)} AND ts < ${at(B.to)}) OR (ts >= ${at(I.from)} AND ts < ${at(I.to)}))
    GROUP BY 1`);
  const b = rows.find((r) => !r.incident), i = rows.find((r) => r.incident);
  return { upstreamBefore: b?.upstream ?? null, upstreamAfter: i?.upstream ?? null, gatewayBefore: b?.gateway ?? null, gatewayAfter: i?.gateway ?? null };
}
