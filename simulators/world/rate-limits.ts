// The simulated gateway's rate limiter for policies written through the Dashboard API: a key whose
// policy was PUT (from the write's time on) gets that policy's rate per `per` seconds —
// `access_rights[api].limit` when it sets one for the request's API, else the policy's own — and
// Tyk's 429 past it. Policies never written keep the world's traffic as it is (the world's story is
// told with its own limits). Like the gateway's sliding log: a request is allowed while fewer than
// `rate` requests of the key were allowed in the `per` seconds before it.
import type { SimRequest } from "./types";

type Json = Record<string, unknown>;
interface Limit { rate: number; per: number }

/** Written policies: id → every write (time, the policy JSON as written), oldest first. */
export type PolicyWrites = Map<string, { at: Date; body: Json }[]>;

function limitOf(policy: Json, apiId: string): Limit | null {
  const rights = policy.access_rights as Record<string, { limit?: Json | null }> | undefined;
  const api = rights?.[apiId]?.limit;
  const pick = (o: Json | null | undefined) =>
    o && typeof o.rate === "number" && typeof o.per === "number" && o.rate > 0 && o.per > 0 ? { rate: o.rate, per: o.per } : null;
  return pick(api) ?? pick(policy);
}

/** The body in force at `ts`: the newest write at or before it. */
function writtenAt(writes: PolicyWrites, id: string, ts: number): Json | undefined {
  const list = writes.get(id);
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i].at.getTime() <= ts) return list[i].body;
  return undefined;
}

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
  /** The request as the gateway answers it: unchanged, or 429 from the gateway itself. Requests of one key must come in time order. */
  (r: SimRequest): SimRequest;
  /** Records an already-answered request that the gateway allowed (the look-back before the requests to judge). */
  prime(r: SimRequest): void;
}

export function createRateLimiter(writes: PolicyWrites, policyNow: (id: string, ts: number) => Json | undefined): RateLimiter {
  // Per (key, API): times of the allowed requests still inside the window, oldest first.
  const logs = new Map<string, number[]>();

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
    if (!l) return r;
    const id = `${r.keyHash} ${r.apiId}`;
    let log = logs.get(id);
    if (!log) logs.set(id, (log = []));
    const since = r.ts - l.per * 1000;
    let drop = 0;
    while (drop < log.length && log[drop] <= since) drop++;
    if (drop) log.splice(0, drop);
    if (enforce && log.length >= l.rate) return { ...r, status: 429, latencyMs: r.gatewayMs, upstreamMs: 0 };
    log.push(r.ts);
    return r;
  }

  const limit = ((r: SimRequest) => judge(r, true)) as RateLimiter;
  limit.prime = (r) => void judge(r, false);
  return limit;
}
