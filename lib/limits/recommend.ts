// Recommended Tyk limits for the policies carrying an endpoint's traffic. Tyk applies a policy's
// rate/per to every key under it separately, so what reaches the endpoint at worst is each top key
// bursting to its allowance at once. The budget (headroom × capacity) is shared between the
// policies' keys in proportion to their normal peaks (a flood buys no extra share), and no key is
// ever held below its own normal peak (p95 of its per-minute rate): a limit that rejects a caller's
// ordinary traffic is an outage, not a guard rail.
import { formatRate } from "./capacity";
import type { QuotaRecommendation, ThrottleRecommendation } from "./quota-throttle";

/** A key that called the endpoint, with its per-minute rate in the minutes it called. */
export interface CallerPeak {
  keyHash: string;
  label: string;
  /** Its policies now (Tyk gives a key the highest rate of its policies). */
  policyIds: string[];
  requests: number;
  p95PerMin: number;
}

export interface Limit {
  rate: number;
  per: number;
}

export interface PolicyLimits {
  id: string;
  name: string;
  version: number;
  /** Policy-wide rate/per (null rate or ≤ 0: unlimited). */
  rate: number | null;
  per: number | null;
  apiIds: string[];
  /** `access_rights[api].limit` of the endpoint's API, when the policy sets one. */
  apiLimit: Limit | null;
  /** Its quota in force on the endpoint's API (`access_rights[api].limit.quota_max` when set, else the policy's; ≤ 0 or null: none). */
  quotaMax?: number | null;
}

export interface RecommendInput {
  capacityRps: number;
  /** Share of the capacity the top keys' bursts may use together (0–1]. */
  headroom: number;
  apiId: string;
  apiName: string;
  callers: CallerPeak[];
  policies: PolicyLimits[];
  /** How many of the busiest keys count as the top callers. */
  topKeys?: number;
}

export interface PolicyRecommendation {
  policyId: string;
  name: string;
  baseVersion: number;
  /** "api": write access_rights[apiId].limit (the policy reaches other APIs too); "policy": its own rate/per. */
  scope: "policy" | "api";
  apiId: string;
  current: Limit | null;
  proposed: Limit;
  change: "lower" | "none";
  keys: string[];
  /** The busiest of its top keys' normal peak (req/min): the floor. */
  floorPerMin: number;
  /** Each key's share of the budget (req/min). */
  sharePerMin: number;
  line: string;
  /** Added by withQuotaThrottle (quota-throttle-load.ts) where useful, each with its own line; null: none. */
  quota?: QuotaRecommendation | null;
  throttle?: ThrottleRecommendation | null;
}

const perMin = (l: Limit | null) => (l && l.rate > 0 && l.per > 0 ? (l.rate * 60) / l.per : Infinity);

function effectiveLimit(p: PolicyLimits): Limit | null {
  if (p.apiLimit && p.apiLimit.rate > 0) return p.apiLimit;
  return p.rate && p.rate > 0 && p.per && p.per > 0 ? { rate: p.rate, per: p.per } : null;
}

/** One recommendation per policy governing a top key (see the header); in descending order of traffic. */
export function recommendLimits(input: RecommendInput): PolicyRecommendation[] {
  const budget = input.headroom * input.capacityRps * 60;
  const byId = new Map(input.policies.map((p) => [p.id, p]));
  const top = [...input.callers].sort((a, b) => b.requests - a.requests).slice(0, input.topKeys ?? 10);
  // A key is governed by the most generous of its policies (Tyk's merge keeps the highest rate).
  const groups = new Map<string, { policy: PolicyLimits; keys: CallerPeak[] }>();
  for (const k of top) {
    const governing = k.policyIds.map((id) => byId.get(id)).filter((p): p is PolicyLimits => Boolean(p))
      .sort((a, b) => perMin(effectiveLimit(b)) - perMin(effectiveLimit(a)))[0];
    if (!governing) continue;
    const g = groups.get(governing.id) ?? { policy: governing, keys: [] };
    g.keys.push(k);
    groups.set(governing.id, g);
  }
  const peaks = [...groups.values()].map((g) => ({ ...g, peak: Math.max(...g.keys.map((k) => k.p95PerMin)) }));
  const W = peaks.reduce((s, g) => s + g.keys.length * g.peak, 0);
  return peaks.map(({ policy, keys, peak }) => {
    const current = effectiveLimit(policy);
    const share = W > 0 ? (budget * peak) / W : budget / keys.length;
    const targetPerMin = Math.max(peak, Math.min(perMin(current), share));
    // The evidence is per minute: a window shorter than that would judge bursts it cannot see.
    const per = current && current.per >= 60 ? current.per : 60;
    const proposed = { rate: Math.max(1, Math.ceil((targetPerMin * per) / 60)), per };
    const change = current && proposed.rate >= current.rate * (per / current.per) ? "none" : "lower";
    const final = change === "none" && current ? current : proposed;
    const scope = policy.apiIds.length > 1 ? "api" : "policy";
    return {
      policyId: policy.id, name: policy.name, baseVersion: policy.version, scope, apiId: input.apiId, current, proposed: final, change,
      keys: keys.map((k) => k.keyHash), floorPerMin: peak, sharePerMin: share,
      line: explain({ policy, keys, peak, share, current, proposed: final, change, scope, budget, input }),
    };
  });
}

function explain(x: {
  policy: PolicyLimits; keys: CallerPeak[]; peak: number; share: number; current: Limit | null; proposed: Limit;
  change: "lower" | "none"; scope: "policy" | "api"; budget: number; input: RecommendInput;
}): string {
  const lim = (l: Limit | null) => (l ? `${l.rate} per ${l.per} s` : "unlimited");
  const where = x.scope === "api" ? ` on ${x.input.apiName} only` : "";
  const keys = `${x.keys.length} top key${x.keys.length === 1 ? "" : "s"}`;
  const budget = `${Math.round(x.input.headroom * 100)}% of capacity ${formatRate(x.input.capacityRps)} req/s = ${formatRate(x.budget)}/min`;
  if (x.change === "none") {
    return `${x.policy.name}: keep ${lim(x.current)} — its ${keys} may burst to ${formatRate(perMin(x.current))}/min each, within their share of ${budget} (${formatRate(x.share)}/min each)`;
  }
  const floor = x.share < x.peak ? `; held at its busiest key's normal peak ${formatRate(x.peak)}/min (p95, 7 days), above the ${formatRate(x.share)}/min share` : "";
  return `${x.policy.name}: ${lim(x.current)} → ${lim(x.proposed)}${where} — ${keys} share ${budget} by normal peaks${floor}`;
}
