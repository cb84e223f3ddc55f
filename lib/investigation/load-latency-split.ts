import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { LatencySplit, TimeWindow } from "@/lib/analysis";
import { at, readRows } from "./sql";

/**
 * p99 of the upstream's own time (Tyk Pump's latency_upstream) and of the gateway's own time (the
 * rest of the total) over the served requests of B and of I. Read only for a spike nothing
 * explains, to say whether the time went behind the gateway or inside it. Read from the weighted
 * sample (lib/sync/analytics/sampler.ts; an index-only scan of request_records_sample_idx): each
 * p99 is the smallest value whose cumulative weight reaches 99 % of the window's.
 */
export async function loadLatencySplit(db: PrismaClient, endpointId: string, B: TimeWindow, I: TimeWindow): Promise<LatencySplit> {
  const rows = await readRows<{ incident: boolean; upstream: number | null; gateway: number | null }>(db, Prisma.sql`
    WITH r AS (
      SELECT ts >= ${at(I.from)} AS incident, upstream_ms AS up, greatest(0, latency_ms - upstream_ms) AS gw, weight AS w
      FROM request_records
      WHERE endpoint_id = ${endpointId} AND weight > 0 AND upstream_ms IS NOT NULL AND status NOT IN (429, 403)
        AND ((ts >= ${at(B.from)} AND ts < ${at(B.to)}) OR (ts >= ${at(I.from)} AND ts < ${at(I.to)}))
    ), c AS (
      SELECT incident, up, gw,
             sum(w) OVER (PARTITION BY incident ORDER BY up) AS up_below,
             sum(w) OVER (PARTITION BY incident ORDER BY gw) AS gw_below,
             sum(w) OVER (PARTITION BY incident) AS total
      FROM r
    )
    SELECT incident, min(up) FILTER (WHERE up_below >= 0.99 * total)::float8 AS upstream,
           min(gw) FILTER (WHERE gw_below >= 0.99 * total)::float8 AS gateway
    FROM c GROUP BY 1`);
  const b = rows.find((r) => !r.incident), i = rows.find((r) => r.incident);
  return { upstreamBefore: b?.upstream ?? null, upstreamAfter: i?.upstream ?? null, gatewayBefore: b?.gateway ?? null, gatewayAfter: i?.gateway ?? null };
}
