import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { LATENCY_BIN_SQL, type TrafficCell } from "@/lib/analysis";
import { MINUTE_OF_TS, at, epochMs, withWorkMem } from "./sql";

interface CellRow {
  minute: number;
  key_hash: string | null;
  identity_id: string | null;
  oauth_client_id: string | null;
  policy_ids: string[] | null;
  count: number;
  errors: number;
  bins: number[];
  bin_counts: number[];
}

/**
 * The endpoint's requests in [from, to) as traffic cells: one row per (minute, key, identity,
 * OAuth client, policies) with its sparse latency histogram. The histogram is built by one
 * GROUP BY over the (endpoint_id, ts) index range — on caller_id, an INCLUDE column, so the scan
 * stays index-only — and folded into arrays in SQL; only then are the callers' columns joined in,
 * once per caller-minute. What crosses the wire is one row per caller-minute however many
 * requests there were. A caller is one tuple, so grouping by its id is grouping by the four.
 */
export async function loadTrafficCells(db: PrismaClient, endpointId: string, from: number, to: number): Promise<TrafficCell[]> {
  const rows = await withWorkMem(db, (tx) => tx.$queryRaw<CellRow[]>`
    WITH binned AS (
      SELECT ${MINUTE_OF_TS} AS minute, caller_id,
             ${Prisma.raw(LATENCY_BIN_SQL)} AS bin,
             count(*)::int AS n,
             (count(*) FILTER (WHERE status >= 500))::int AS e
      FROM request_records
      WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}
      GROUP BY 1, 2, 3
    ), cells AS (
      SELECT minute, caller_id, sum(n)::int AS count, sum(e)::int AS errors,
             array_agg(bin ORDER BY bin) AS bins, array_agg(n ORDER BY bin) AS bin_counts
      FROM binned
      GROUP BY minute, caller_id
    )
    SELECT ${epochMs(Prisma.sql`cells.minute`)} AS minute, c.key_hash, c.identity_id, c.oauth_client_id, c.policy_ids,
           cells.count, cells.errors, cells.bins, cells.bin_counts
    FROM cells JOIN request_callers c ON c.id = cells.caller_id`);
  return rows.map((r) => ({
    minute: Number(r.minute),
    keyHash: r.key_hash,
    identityId: r.identity_id,
    oauthClientId: r.oauth_client_id,
    policyIds: [...(r.policy_ids ?? [])].sort(),
    count: r.count,
    errors: r.errors,
    bins: r.bins,
    binCounts: r.bin_counts,
  }));
}
