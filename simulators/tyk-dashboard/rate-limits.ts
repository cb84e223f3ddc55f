// The simulated gateway's rate limiter for policies written through the Dashboard API: a key whose
// policy was PUT (from the write's time on) gets that policy's rate per `per` seconds —
// `access_rights[api].limit` when it sets one for the request's API, else the policy's own — and
// Tyk's 429 past it. Policies never written keep the world's traffic as it is (the world's story is
// told with its own limits). Like the gateway's sliding log: a request is allowed while fewer than
// `rate` requests of the key were allowed in the `per` seconds before it.
import type { SimRequest } from "../world";

type Json = Record<string, unknown>;
interface Limit { rate: number; per: number }

/** Written policies: id → the write's time (epoch ms) and the policy JSON as written. */
export type PolicyWrites = Map<string, { at: Date; body: Json }>;

function limitOf(policy: Json, apiId: string): Limit | null {
  const rights = policy.access_rights as Record<string, { limit?: Json | null }> | undefined;
  const api = rights?.[apiId]?.limit;
  const pick = (o: Json | null | undefined) =>
    o && typeof o.rate === "number" && typeof o.per === "number" && o.rate > 0 && o.per > 0 ? { rate: o.rate, per: o.per } : null;
  return pick(api) ?? pick(policy);
}

export function createRateLimiter(writes: PolicyWrites, policyNow: (id: string) => Json | undefined) {
  // Per (key, API): times of the allowed requests still inside the window, oldest first.
  const logs = new Map<string, number[]>();

  /** The key's limit on the request's API when any of its policies was written by then (the highest of its policies', as Tyk merges them). */
  function limitFor(r: SimRequest): Limit | null {
    if (!r.policyIds.some((id) => (writes.get(id)?.at.getTime() ?? Infinity) <= r.ts)) return null;
    let best: Limit | null = null;
    for (const id of r.policyIds) {
      const written = writes.get(id);
      const body = written && written.at.getTime() <= r.ts ? written.body : policyNow(id);
      const l = body ? limitOf(body, r.apiId) : null;
      if (!l) return null; // an unlimited policy lifts the key's limit
      if (!best || l.rate / l.per > best.rate / best.per) best = l;
    }
    return best;
  }

  /** The request as the gateway answers it: unchanged, or 429 from the gateway itself. Requests of one key must come in time order. */
  return function limit(r: SimRequest): SimRequest {
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
    if (log.length >= l.rate) return { ...r, status: 429, latencyMs: r.gatewayMs, upstreamMs: 0 };
    log.push(r.ts);
    return r;
  };
}
