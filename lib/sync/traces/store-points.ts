import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { LatencyPoint } from "@/lib/traces/trace-source";

const BATCH = 2000;

/**
 * Upserts one endpoint's minute points in a few statements (a day is 1440 rows; row-by-row
 * upserts would cost a round trip each). Times go in as epoch ms and are stored as UTC timestamps,
 * the way Prisma stores DateTime.
 */
export async function upsertLatencyPoints(db: PrismaClient, endpointId: string, points: LatencyPoint[]): Promise<number> {
  for (let i = 0; i < points.length; i += BATCH) {
    const chunk = points.slice(i, i + BATCH);
    await db.$executeRaw`
      INSERT INTO latency_points (endpoint_id, ts, p50, p95, p99, count, errors)
      SELECT ${endpointId}, (to_timestamp(t / 1000.0) AT TIME ZONE 'UTC')::timestamp(3), p50, p95, p99, c, e
      FROM unnest(${chunk.map((p) => p.ts)}::float8[], ${chunk.map((p) => p.p50)}::float8[], ${chunk.map((p) => p.p95)}::float8[],
                  ${chunk.map((p) => p.p99)}::float8[], ${chunk.map((p) => p.count)}::int[], ${chunk.map((p) => p.errors)}::int[])
        AS u(t, p50, p95, p99, c, e)
      ON CONFLICT (endpoint_id, ts) DO UPDATE
        SET p50 = EXCLUDED.p50, p95 = EXCLUDED.p95, p99 = EXCLUDED.p99, count = EXCLUDED.count, errors = EXCLUDED.errors`;
  }
  return points.length;
}
