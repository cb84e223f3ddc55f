import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, parseIntList, readRows } from "@/lib/investigation/sql";
import { callerPeaks, type KeyMinutes } from "./key-minutes";
import type { CallerPeak, Limit, PolicyLimits } from "./recommend";

interface CallerRow { id: number; key_hash: string; label: string | null; key_policy_ids: string[] | null; policy_ids: string[] }

const MIN = 60_000;

/**
 * Each key's requests to the endpoint per minute in [from, to) (epoch ms), from the caller-minute
 * aggregate (endpoint_caller_minutes): one read for the window, whose cost follows minutes × callers,
 * not requests, and which reaches back as far as the aggregates are kept (AGGREGATE_RETENTION_DAYS),
 * past raw retention. A key's policies are the ones Tyk holds now (keys table), else the greatest
 * (as PostgreSQL orders text[]) of those its requests in the window carried. Callers without a key are left out.
 */
export async function loadKeyMinutes(db: PrismaClient, endpointId: string, from: number, to: number): Promise<KeyMinutes[]> {
  const hours = Prisma.sql`endpoint_id = ${endpointId} AND hour >= date_trunc('hour', ${at(from)}) AND hour < ${at(to)}`;
  const [[packed], callers] = await Promise.all([
    // The hour rows as one list of integers — hour, length, then its three arrays — not a driver array per field.
    readRows<{ n: number | null; packed: string | null }>(db, Prisma.sql`
      SELECT sum(3 * cardinality(minutes) + 2)::int AS n,
             string_agg(concat_ws(',', (extract(epoch FROM hour) * 1000)::int8, cardinality(minutes),
               array_to_string(minutes, ','), array_to_string(caller_ids, ','), array_to_string(caller_counts, ',')), ',' ORDER BY hour) AS packed
      FROM endpoint_caller_minutes WHERE ${hours} AND cardinality(minutes) > 0`),
    // The window's callers with a key (the hour rows' caller lists), ordered by their policies.
    readRows<CallerRow>(db, Prisma.sql`
      SELECT c.id, c.key_hash, COALESCE(k.alias, i.name, i.email, '…' || k.last4) AS label, k.policy_ids AS key_policy_ids, c.policy_ids
      FROM request_callers c LEFT JOIN keys k ON k.key_hash = c.key_hash LEFT JOIN identities i ON i.id = k.identity_id
      WHERE c.key_hash IS NOT NULL AND c.id IN (SELECT unnest(callers) FROM endpoint_hours WHERE ${hours})
      ORDER BY c.policy_ids`),
  ]);
  const values = new Float64Array(packed?.n ?? 0);
  if (packed?.packed && parseIntList(packed.packed, values) !== values.length) throw new Error("loadKeyMinutes: malformed caller-minute rows");
  return keyMinutesOf(values, callers, from, to);
}

/**
 * Groups the packed hour rows' (minute, caller, requests) entries in [from, to) by key: one pass
 * to find each entry's key and size every key's arrays, one to fill them.
 */
function keyMinutesOf(v: Float64Array, callers: CallerRow[], from: number, to: number): KeyMinutes[] {
  const keyIndex = new Map<string, number>();
  // caller id → its index in `callers`; per index, its key's index and whether the window has its requests.
  const callerIndex = new Map<number, number>();
  const keyOfCaller = new Int32Array(callers.length), seen = new Uint8Array(callers.length);
  callers.forEach((c, ci) => {
    if (!keyIndex.has(c.key_hash)) keyIndex.set(c.key_hash, keyIndex.size);
    callerIndex.set(c.id, ci);
    keyOfCaller[ci] = keyIndex.get(c.key_hash)!;
  });
  // Per entry its key (−1: outside the window or no key), and per key an upper bound of its minutes.
  const keyOf = new Int32Array(Math.floor(v.length / 3)).fill(-1), sizes = new Int32Array(keyIndex.size);
  let e = 0;
  for (let at = 0; at < v.length; ) {
    const hour = v[at], len = v[at + 1], m0 = at + 2;
    at = m0 + 3 * len;
    for (let i = 0; i < len; i++, e++) {
      const t = hour + v[m0 + i] * MIN, ci = callerIndex.get(v[m0 + len + i]);
      if (ci === undefined || t < from || t >= to) continue;
      seen[ci] = 1;
      keyOf[e] = keyOfCaller[ci];
      sizes[keyOf[e]]++;
    }
  }
  const minutes = [...sizes].map((n) => new Float64Array(n)), counts = [...sizes].map((n) => new Float64Array(n)), used = new Int32Array(sizes.length);
  e = 0;
  for (let at = 0; at < v.length; ) {
    const hour = v[at], len = v[at + 1], m0 = at + 2;
    at = m0 + 3 * len;
    for (let i = 0; i < len; i++, e++) {
      const k = keyOf[e];
      if (k < 0) continue;
      // Entries come by hour, then minute: a key's minutes arrive in order (several callers of one key share a minute).
      const t = hour + v[m0 + i] * MIN, u = used[k];
      if (u > 0 && minutes[k][u - 1] === t) counts[k][u - 1] += v[m0 + 2 * len + i];
      else {
        minutes[k][u] = t;
        counts[k][u] = v[m0 + 2 * len + i];
        used[k] = u + 1;
      }
    }
  }
  const policiesOf = new Map<string, string[]>();
  callers.forEach((c, ci) => {
    if (seen[ci]) policiesOf.set(c.key_hash, c.key_policy_ids ?? c.policy_ids);
  });
  const labels = new Map(callers.map((c) => [c.key_hash, c.label]));
  return [...keyIndex].filter(([, k]) => used[k] > 0).map(([keyHash, k]) => ({
    keyHash, label: labels.get(keyHash) ?? `…${keyHash.slice(-4)}`, policyIds: policiesOf.get(keyHash)!,
    minutes: minutes[k].slice(0, used[k]), counts: counts[k].slice(0, used[k]),
  }));
}

/** The keys that called the endpoint in [from, to) with their normal peaks (callerPeaks over loadKeyMinutes). */
export async function loadCallerPeaks(db: PrismaClient, endpointId: string, from: number, to: number, abnormalMinutes: number[] = []): Promise<CallerPeak[]> {
  return callerPeaks(await loadKeyMinutes(db, endpointId, from, to), abnormalMinutes);
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
