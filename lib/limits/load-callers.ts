import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";
import type { CallerPeak, Limit, PolicyLimits } from "./recommend";

/**
 * The keys that called the endpoint in [from, to), each with its requests and the p95 of its
 * per-minute count over the minutes it called (its normal peak) — leaving out `abnormalMinutes`
 * (epoch ms; the minutes the endpoint was over its objective: a flood that broke it is not anyone's
 * normal); a key that called only in those minutes has no normal traffic here (0). Read from the request records' (minute, caller)
 * groups, so it covers what raw retention keeps (RAW_RETENTION_DAYS, 7 by default). A key's policies
 * are the ones Tyk holds now (keys table), else those its requests carried.
 */
export async function loadCallerPeaks(db: PrismaClient, endpointId: string, from: number, to: number, abnormalMinutes: number[] = []): Promise<CallerPeak[]> {
  const abnormal = Prisma.sql`ARRAY[${abnormalMinutes.length ? Prisma.join(abnormalMinutes.map((t) => at(t))) : Prisma.empty}]::timestamp[]`;
  const rows = await readRows<{ key_hash: string; label: string | null; policy_ids: string[]; requests: number; p95: number }>(db, Prisma.sql`
    WITH per_minute AS (
      SELECT c.key_hash, date_trunc('minute', r.ts) AS minute, count(*)::float8 AS n, max(c.policy_ids) AS policy_ids
      FROM request_records r JOIN request_callers c ON c.id = r.caller_id
      WHERE r.endpoint_id = ${endpointId} AND r.ts >= ${at(from)} AND r.ts < ${at(to)} AND c.key_hash IS NOT NULL
      GROUP BY c.key_hash, minute)
    SELECT m.key_hash, COALESCE(k.alias, i.name, i.email, '…' || k.last4) AS label,
           COALESCE(k.policy_ids, max(m.policy_ids)) AS policy_ids,
           sum(m.n)::float8 AS requests,
           COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY m.n) FILTER (WHERE m.minute <> ALL(${abnormal})), 0)::float8 AS p95
    FROM per_minute m LEFT JOIN keys k ON k.key_hash = m.key_hash LEFT JOIN identities i ON i.id = k.identity_id
    GROUP BY m.key_hash, k.alias, i.name, i.email, k.last4, k.policy_ids
    ORDER BY requests DESC`);
  return rows.map((r) => ({ keyHash: r.key_hash, label: r.label ?? `…${r.key_hash.slice(-4)}`, policyIds: r.policy_ids, requests: r.requests, p95PerMin: r.p95 }));
}

/** The policies' current limits as Touchline last synced them, with the API's per-API limit where one is set. */
export async function loadPolicyLimits(db: PrismaClient, ids: string[], apiId: string): Promise<PolicyLimits[]> {
  if (!ids.length) return [];
  const rows = await db.policy.findMany({ where: { id: { in: ids }, deletedAt: null } });
  return rows.map((p) => ({
    id: p.id, name: p.name, version: p.version, rate: p.rate, per: p.per, apiIds: p.apiIds, apiLimit: apiLimitOf(p.snapshot, apiId), quotaMax: quotaOf(p.snapshot, apiId),
  }));
}

/** `access_rights[apiId].limit` of a policy snapshot, when it sets a rate. */
export function apiLimitOf(snapshot: unknown, apiId: string): Limit | null {
  const rights = (snapshot as { access_rights?: Record<string, { limit?: { rate?: unknown; per?: unknown } | null }> } | null)?.access_rights;
  const limit = rights?.[apiId]?.limit;
  return limit && typeof limit.rate === "number" && typeof limit.per === "number" && limit.rate > 0 ? { rate: limit.rate, per: limit.per } : null;
}

/** The quota in force on the API: `access_rights[apiId].limit.quota_max` when positive, else the policy's own (null: none). */
function quotaOf(snapshot: unknown, apiId: string): number | null {
  const p = snapshot as { quota_max?: unknown; access_rights?: Record<string, { limit?: { quota_max?: unknown } | null }> } | null;
  const api = p?.access_rights?.[apiId]?.limit?.quota_max;
  if (typeof api === "number" && api > 0) return api;
  return typeof p?.quota_max === "number" && p.quota_max > 0 ? p.quota_max : null;
}
