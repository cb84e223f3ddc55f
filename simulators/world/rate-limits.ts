// The simulated gateway's rate limiter for policies written through the Dashboard API: a key whose
// policy was PUT (from the write's time on) gets that policy's rate per `per` seconds —
// `access_rights[api].limit` when it sets one for the request's API, else the policy's own — and
// Tyk's 429 past it. Policies never written keep the world's traffic as it is (the world's story is
// told with its own limits). Like the gateway's sliding log: a request is allowed while fewer than
// `rate` requests of the key were allowed in the `per` seconds before it. A written quota
// (`quota_max` per `quota_renewal_rate` seconds; per API in `access_rights[api].limit`, else across
// the policy's APIs) then answers 403 "Quota exceeded" once the key's period is used up; periods
// start at the write's minute and renew every `quota_renewal_rate` seconds after it.
import type { SimRequest } from "./types";

type Json = Record<string, unknown>;
interface Limit { rate: number; per: number }
interface Quota { max: number; renewal: number; perApi: boolean }

const MINUTE = 60_000;

/** Written policies: id → every write (time, the policy JSON as written), oldest first. */
export type PolicyWrites = Map<string, { at: Date; body: Json }[]>;

function limitOf(policy: Json, apiId: string): Limit | null {
  const rights = policy.access_rights as Record<string, { limit?: Json | null }> | undefined;
  const api = rights?.[apiId]?.limit;
  const pick = (o: Json | null | undefined) =>
    o && typeof o.rate === "number" && typeof o.per === "number" && o.rate > 0 && o.per > 0 ? { rate: o.rate, per: o.per } : null;
  return pick(api) ?? pick(policy);
}

function quotaOf(policy: Json, apiId: string): Quota | null {
  const rights = policy.access_rights as Record<string, { limit?: Json | null }> | undefined;
  const pick = (o: Json | null | undefined, perApi: boolean) =>
    o && typeof o.quota_max === "number" && typeof o.quota_renewal_rate === "number" && o.quota_max > 0 && o.quota_renewal_rate > 0
      ? { max: o.quota_max, renewal: o.quota_renewal_rate, perApi } : null;
  return pick(rights?.[apiId]?.limit, true) ?? pick(policy, false);
}

/** The write in force at `ts`: the newest at or before it. */
function writeAt(writes: PolicyWrites, id: string, ts: number): { at: Date; body: Json } | undefined {
  const list = writes.get(id);
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i].at.getTime() <= ts) return list[i];
  return undefined;
}
const writtenAt = (writes: PolicyWrites, id: string, ts: number) => writeAt(writes, id, ts)?.body;

/** The longest window (seconds) any written limit looks back over. */
export function longestWindow(writes: PolicyWrites): number {
  let most = 0;
  for (const list of writes.values()) {
    for (const { body } of list) {
      const rights = Object.values((body.access_rights ?? {}) as Record<string, { limit?: Json | null }>);
      for (const o of [body, ...rights.map((r) => r?.limit)]) if (o && typeof o.per === "number") most = Math.max(most, o.per);
    }
  }
  return most;
}

export interface RateLimiter {
  /** The request as the gateway answers it: unchanged, or 429 (rate) / 403 (quota) from the gateway itself. Requests of one key must come in time order. */
  (r: SimRequest): SimRequest;
  /** Records an already-answered request that the gateway allowed (the look-back before the requests to judge). */
  prime(r: SimRequest): void;
  /** Requests allowed under a quota, per quota counter (key and scope), of the requests judged so far. */
  quotaUse(): Map<string, number>;
}

/** What a key used of a quota counter in [from, to) (minute starts) before the requests judged: the minutes already answered. */
export type QuotaUsed = (counter: string, from: number, to: number) => number;

export function createRateLimiter(writes: PolicyWrites, policyNow: (id: string, ts: number) => Json | undefined, usedBefore: QuotaUsed = () => 0): RateLimiter {
  // Per (key, API): times of the allowed requests still inside the window, oldest first.
  const logs = new Map<string, number[]>();
  // Per quota counter: the period judged and what it used; and everything allowed under a quota.
  const periods = new Map<string, { start: number; used: number }>();
  const use = new Map<string, number>();

  /** The key's quota on the request's API, from its written policies (the largest, as Tyk merges them), with its period. */
  function quotaFor(r: SimRequest): { counter: string; max: number; start: number } | null {
    let best: { q: Quota; since: number } | null = null;
    for (const id of r.policyIds) {
      const w = writeAt(writes, id, r.ts);
      const q = w ? quotaOf(w.body, r.apiId) : null;
      if (!w || !q) return null; // a policy without a written quota lifts it
      if (!best || q.max / q.renewal > best.q.max / best.q.renewal) best = { q, since: Math.floor(w.at.getTime() / MINUTE) * MINUTE };
    }
    if (!best) return null;
    const span = best.q.renewal * 1000, minute = Math.floor(r.ts / MINUTE) * MINUTE;
    const start = best.since + Math.floor((minute - best.since) / span) * span;
    return { counter: `${r.keyHash} ${best.q.perApi ? r.apiId : "*"} ${best.since}`, max: best.q.max, start };
  }

  /** False when the request's quota period is used up; counts it otherwise. */
  function withinQuota(r: SimRequest): boolean {
    const q = quotaFor(r);
    if (!q) return true;
    let p = periods.get(q.counter);
    if (!p || p.start !== q.start) periods.set(q.counter, (p = { start: q.start, used: usedBefore(q.counter, q.start, Math.floor(r.ts / MINUTE) * MINUTE) }));
    if (p.used >= q.max) return false;
    p.used++;
    use.set(q.counter, (use.get(q.counter) ?? 0) + 1);
    return true;
  }

  /** The key's limit on the request's API when any of its policies was written by then (the highest of its policies', as Tyk merges them). */
  function limitFor(r: SimRequest): Limit | null {
    if (!r.policyIds.some((id) => writtenAt(writes, id, r.ts))) return null;
    let best: Limit | null = null;
    for (const id of r.policyIds) {
      const body = writtenAt(writes, id, r.ts) ?? policyNow(id, r.ts);
      const l = body ? limitOf(body, r.apiId) : null;
      if (!l) return null; // an unlimited policy lifts the key's limit
      if (!best || l.rate / l.per > best.rate / best.per) best = l;
    }
    return best;
  }

  function judge(r: SimRequest, enforce: boolean): SimRequest {
    if (r.status === 429 || r.status === 401 || r.status === 403 || !r.policyIds.length) return r;
    const l = limitFor(r);
    let log: number[] | undefined;
    if (l) {
      const id = `${r.keyHash} ${r.apiId}`;
      log = logs.get(id);
      if (!log) logs.set(id, (log = []));
      const since = r.ts - l.per * 1000;
      let drop = 0;
      while (drop < log.length && log[drop] <= since) drop++;
      if (drop) log.splice(0, drop);
      if (enforce && log.length >= l.rate) return { ...r, status: 429, latencyMs: r.gatewayMs, upstreamMs: 0 };
    }
    // Tyk checks the quota after the rate: a request the rate refused uses none of it.
    if (enforce && !withinQuota(r)) return { ...r, status: 403, latencyMs: r.gatewayMs, upstreamMs: 0 };
    log?.push(r.ts);
    return r;
  }

  const limit = ((r: SimRequest) => judge(r, true)) as RateLimiter;
  limit.prime = (r) => void judge(r, false);
  limit.quotaUse = () => use;
  return limit;
}
