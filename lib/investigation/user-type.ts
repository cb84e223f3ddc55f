// An investigation narrowed to one user type (an anomaly's "Investigate"): its callers are found
// with the very function anomaly detection sums them by (lib/anomalies/user-types.ts), so the
// filtered series shows what the anomaly measured.
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { LatencyPoint } from "@/lib/analysis";
import { GATEWAY_REJECTION_SQL } from "@/lib/analysis/rejections";
import { LATENCY_BIN_SQL, roundMs, sparseQuantile } from "@/lib/analysis/histogram";
import { ApiError } from "@/lib/api/errors";
import { loadTypeNames, typeLabel, typesOfCallerIds } from "@/lib/anomalies/user-types";
import type { LoadedSeries } from "./load-series";
import { MINUTE_OF_TS, at, readRows } from "./sql";

export interface TypeScope {
  userType: string;
  /** As the anomalies page names it, e.g. "Policy kiosk-fleet". */
  label: string;
  /** The endpoint's callers of that type in the series window. */
  callerIds: Set<number>;
}

/** The type's label and its callers on the endpoint in [from, to); a type naming nothing we know is a 400 on `userType`. */
export async function loadTypeScope(db: PrismaClient, endpointId: string, userType: string, from: number, to: number): Promise<TypeScope> {
  const [names, seen] = await Promise.all([
    loadTypeNames(db),
    readRows<{ caller_id: number }>(db, Prisma.sql`
      SELECT DISTINCT caller_id FROM request_records WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}`),
  ]);
  await checkKnown(db, userType, names);
  const types = await typesOfCallerIds(db, seen.map((r) => r.caller_id));
  const callerIds = new Set<number>();
  for (const [id, t] of types) if (t.includes(userType)) callerIds.add(id);
  return { userType, label: typeLabel(userType, names), callerIds };
}

async function checkKnown(db: PrismaClient, userType: string, names: Awaited<ReturnType<typeof loadTypeNames>>): Promise<void> {
  const [prefix, ...rest] = userType.split(":");
  const id = rest.join(":");
  const known = prefix === "kind"
    || (prefix === "policy" && names.policies.has(id))
    || (prefix === "oauth" && (await db.oAuthClient.count({ where: { id } })) > 0)
    || (prefix === "group" && (await db.user.count({ where: { groups: { has: id } } })) > 0);
  if (!known) throw new ApiError("bad_request", `No user type ${userType}: no such ${prefix === "group" ? "IdP group" : prefix === "oauth" ? "OAuth client" : "policy"}`, "userType");
}

/**
 * The type's per-minute latency in [from, to), from every request of its callers (the hour
 * aggregates are per endpoint, not per caller): counts of all requests, percentiles of the served
 * ones, as the endpoint's own series.
 */
export async function loadTypeSeries(db: PrismaClient, endpointId: string, scope: TypeScope, from: number, to: number): Promise<LoadedSeries> {
  if (!scope.callerIds.size) return { source: "none", points: [] };
  const rows = await readRows<{ ts: number; bin: number | null; n: number; e: number }>(db, Prisma.sql`
    SELECT (extract(epoch FROM ${MINUTE_OF_TS}) * 1000)::float8 AS ts,
           CASE WHEN ${Prisma.raw(GATEWAY_REJECTION_SQL)} THEN NULL ELSE ${Prisma.raw(LATENCY_BIN_SQL)} END AS bin,
           count(*)::int AS n, count(*) FILTER (WHERE status >= 500)::int AS e
    FROM request_records
    WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)} AND caller_id = ANY(${[...scope.callerIds]}::int4[])
    GROUP BY 1, 2 ORDER BY 1, 2`);
  const points: LatencyPoint[] = [];
  for (let i = 0; i < rows.length;) {
    const ts = rows[i].ts, bins: number[] = [], sums: number[] = [];
    let count = 0, errors = 0, served = 0;
    for (; i < rows.length && rows[i].ts === ts; i++) {
      const r = rows[i];
      count += r.n;
      errors += r.e;
      if (r.bin === null) continue;
      bins.push(r.bin);
      sums.push(r.n);
      served += r.n;
    }
    const q = (p: number) => (served > 0 ? roundMs(sparseQuantile(bins, sums, bins.length, served, p)) : null);
    points.push({ ts, p50: q(0.5), p95: q(0.95), p99: q(0.99), count, errors });
  }
  return { source: points.length ? "request_records" : "none", points };
}
