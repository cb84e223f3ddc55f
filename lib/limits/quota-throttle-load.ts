import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";
import { overLimitMinutes, type KeyMinutes } from "./key-minutes";
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
 * alone for a per-API limit. `abnormalMinutes` (epoch ms) mark the incident's days; `keyMinutes` are
 * the endpoint's per-key minutes of the window (loadKeyMinutes), already read for the normal peaks.
 */
export async function withQuotaThrottle(
  db: PrismaClient, x: { keyMinutes: KeyMinutes[]; from: number; to: number; abnormalMinutes: number[]; policies: PolicyLimits[]; recommendations: PolicyRecommendation[] },
): Promise<PolicyRecommendation[]> {
  if (!x.recommendations.length) return x.recommendations;
  const byId = new Map(x.policies.map((p) => [p.id, p]));
  const scopeApis = (r: PolicyRecommendation) => (r.scope === "api" ? [r.apiId] : byId.get(r.policyId)?.apiIds ?? [r.apiId]);
  const keys = [...new Set(x.recommendations.flatMap((r) => r.keys))];
  const limits = new Map(x.recommendations.flatMap((r) => r.keys.map((k) => [k, (r.proposed.rate * 60) / r.proposed.per] as const)));
  const days = await loadKeyDays(db, keys, [...new Set(x.recommendations.flatMap(scopeApis))], x.from, x.to);
  const over = overLimitMinutes(x.keyMinutes, limits);
  const incidentDays = new Set(x.abnormalMinutes.map((t) => Math.floor(t / DAY) * DAY));
  return x.recommendations.map((r) => {
    const quota = recommendQuota(r.keys.map((k) => keyVolume(k, scopeApis(r), days, incidentDays)), byId.get(r.policyId)?.quotaMax ?? null);
    const throttle = recommendThrottle(new Map(r.keys.map((k) => [k, over.get(k) ?? []])), r.proposed);
    return { ...r, quota, throttle };
  });
}
