import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";
import { recommendQuota, recommendThrottle, type KeyVolume } from "./quota-throttle";
import type { PolicyLimits, PolicyRecommendation } from "./recommend";

const DAY = 86_400_000;

/**
 * Requests per (key, API, UTC day) in [from, to) from the hour aggregates' caller columns, so the
 * cost follows hours, not requests. Keyed `${keyHash} ${apiId}` → day (epoch ms) → requests.
 */
export async function loadKeyDays(db: PrismaClient, keyHashes: string[], apiIds: string[], from: number, to: number): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  if (!keyHashes.length || !apiIds.length) return out;
  const rows = await readRows<{ key_hash: string; api_id: string; day: number; n: number }>(db, Prisma.sql`
    SELECT c.key_hash, e.api_id, (extract(epoch FROM date_trunc('day', h.hour)) * 1000)::float8 AS day, sum(u.n)::float8 AS n
    FROM endpoint_hours h JOIN endpoints e ON e.id = h.endpoint_id
    CROSS JOIN LATERAL unnest(h.callers, h.caller_requests) AS u(caller_id, n)
    JOIN request_callers c ON c.id = u.caller_id
    WHERE e.api_id = ANY(${apiIds}::text[]) AND h.hour >= ${at(from)} AND h.hour < ${at(to)} AND c.key_hash = ANY(${keyHashes}::text[])
    GROUP BY 1, 2, 3`);
  for (const r of rows) {
    const k = `${r.key_hash} ${r.api_id}`;
    const days = out.get(k) ?? new Map<number, number>();
    days.set(r.day, r.n);
    out.set(k, days);
  }
  return out;
}

/**
 * The minutes (epoch ms) in which each key's requests to the endpoint exceeded its per-minute limit,
 * from the request records (per-key minutes exist only there). Read from those keys' callers
 * (request_records by caller_id, ts), so the cost follows the top keys' requests, not the endpoint's.
 */
async function loadOverLimitMinutes(db: PrismaClient, endpointId: string, limits: Map<string, number>, from: number, to: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>([...limits.keys()].map((k) => [k, []]));
  if (!limits.size) return out;
  const rows = await readRows<{ key_hash: string; minute: number }>(db, Prisma.sql`
    WITH lim AS (SELECT * FROM unnest(${[...limits.keys()]}::text[], ${[...limits.values()]}::float8[]) AS l(key_hash, per_min))
    SELECT c.key_hash, (extract(epoch FROM date_trunc('minute', r.ts)) * 1000)::float8 AS minute
    FROM lim JOIN request_callers c ON c.key_hash = lim.key_hash
    JOIN request_records r ON r.caller_id = c.id AND r.endpoint_id = ${endpointId} AND r.ts >= ${at(from)} AND r.ts < ${at(to)}
    GROUP BY c.key_hash, 2, lim.per_min HAVING count(*) > lim.per_min`);
  for (const r of rows) out.get(r.key_hash)!.push(r.minute);
  return out;
}

/** A key's normal days (days without an incident minute) and its busiest incident day, over the given APIs. */
function keyVolume(keyHash: string, apiIds: string[], days: Map<string, Map<number, number>>, incidentDays: Set<number>): KeyVolume {
  const total = new Map<number, number>();
  for (const api of apiIds) for (const [day, n] of days.get(`${keyHash} ${api}`) ?? []) total.set(day, (total.get(day) ?? 0) + n);
  const normalDays: number[] = [];
  let incidentDay = 0;
  for (const [day, n] of total) {
    if (incidentDays.has(day)) incidentDay = Math.max(incidentDay, n);
    else normalDays.push(n);
  }
  return { keyHash, normalDays, incidentDay };
}

/**
 * The recommendations with a quota and a throttle where they help (see quota-throttle.ts). A quota
 * counts what Tyk counts: the key's requests to every API of the policy, or to the endpoint's API
 * alone for a per-API limit. `abnormalMinutes` (epoch ms) mark the incident's days.
 */
export async function withQuotaThrottle(
  db: PrismaClient, x: { endpointId: string; from: number; to: number; abnormalMinutes: number[]; policies: PolicyLimits[]; recommendations: PolicyRecommendation[] },
): Promise<PolicyRecommendation[]> {
  if (!x.recommendations.length) return x.recommendations;
  const byId = new Map(x.policies.map((p) => [p.id, p]));
  const scopeApis = (r: PolicyRecommendation) => (r.scope === "api" ? [r.apiId] : byId.get(r.policyId)?.apiIds ?? [r.apiId]);
  const keys = [...new Set(x.recommendations.flatMap((r) => r.keys))];
  const limits = new Map(x.recommendations.flatMap((r) => r.keys.map((k) => [k, (r.proposed.rate * 60) / r.proposed.per] as const)));
  const [days, over] = await Promise.all([
    loadKeyDays(db, keys, [...new Set(x.recommendations.flatMap(scopeApis))], x.from, x.to),
    loadOverLimitMinutes(db, x.endpointId, limits, x.from, x.to),
  ]);
  const incidentDays = new Set(x.abnormalMinutes.map((t) => Math.floor(t / DAY) * DAY));
  return x.recommendations.map((r) => {
    const quota = recommendQuota(r.keys.map((k) => keyVolume(k, scopeApis(r), days, incidentDays)), byId.get(r.policyId)?.quotaMax ?? null);
    const throttle = recommendThrottle(new Map(r.keys.map((k) => [k, over.get(k) ?? []])), r.proposed);
    return { ...r, quota, throttle };
  });
}
