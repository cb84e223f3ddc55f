/**
 * Request records stored without an endpoint get one once a template matches them: after an admin
 * accepts a derived template, or when the Tyk sync adds endpoints to an API whose rows landed
 * unmatched. Matching is ingest's own (compileEndpoints), per distinct (API, method, path).
 */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { poolOf } from "@/lib/db";
import { inTransaction } from "@/lib/pg-client";
import { HOUR } from "./hour-aggregates";
import { INGEST_LOCK } from "./ingest";
import { compileEndpoints } from "./match-endpoint";
import { rebuildEndpointAggregates } from "./rebuild-aggregates";

export const REMATCH_STATE = "analytics:rematch";

/** Gives unmatched records of `apiIds` (default: every API) the endpoint their path now matches; returns how many. */
export async function rematchUnmatched(db: PrismaClient, apiIds?: string[]): Promise<number> {
  const filter = apiIds ? Prisma.sql`AND api_id = ANY(${apiIds}::text[])` : Prisma.empty;
  const groups = await db.$queryRaw<{ api_id: string; method: string; path: string }[]>`
    SELECT DISTINCT api_id, method, path FROM request_records WHERE endpoint_id IS NULL ${filter}`;
  if (!groups.length) return 0;
  const apis = [...new Set(groups.map((g) => g.api_id))];
  const [endpoints, listen] = await Promise.all([
    db.endpoint.findMany({ where: { apiId: { in: apis } }, select: { id: true, apiId: true, method: true, path: true } }),
    db.api.findMany({ where: { id: { in: apis } }, select: { id: true, listenPath: true } }),
  ]);
  const matcher = compileEndpoints(endpoints);
  const listenPath = new Map(listen.map((a) => [a.id, a.listenPath]));
  const byTarget = new Map<string, { endpointId: string; apiId: string; method: string; paths: string[] }>();
  for (const g of groups) {
    const endpointId = matcher.match(g.api_id, g.method, g.path, listenPath.get(g.api_id));
    if (!endpointId) continue;
    const key = `${endpointId}\u0000${g.method}`;
    const t = byTarget.get(key) ?? { endpointId, apiId: g.api_id, method: g.method, paths: [] };
    t.paths.push(g.path);
    byTarget.set(key, t);
  }
  // Each endpoint's rows move and its hour aggregates are rebuilt from its records in one transaction,
  // under ingest's lock: the aggregates never count a row twice or miss one a batch adds meanwhile.
  const c = await poolOf(db).connect();
  let updated = 0;
  try {
    for (const t of byTarget.values()) {
      updated += await inTransaction(c, async () => {
        await c.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK]);
        const { rows: [r] } = await c.query<{ n: number; lo: number | null; hi: number | null }>(
          `WITH moved AS (
             UPDATE request_records SET endpoint_id = $1
              WHERE endpoint_id IS NULL AND api_id = $2 AND method = $3 AND path = ANY($4::text[])
              RETURNING ts)
           SELECT count(*)::int AS n, (extract(epoch FROM date_trunc('hour', min(ts))) * 1000)::float8 AS lo,
                  (extract(epoch FROM date_trunc('hour', max(ts))) * 1000)::float8 AS hi FROM moved`,
          [t.endpointId, t.apiId, t.method, t.paths]);
        if (r.n > 0) await rebuildEndpointAggregates(c, t.endpointId, { from: r.lo!, to: r.hi! + HOUR });
        return r.n;
      });
    }
  } finally {
    c.release();
  }
  return updated;
}
