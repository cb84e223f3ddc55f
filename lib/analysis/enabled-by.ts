// "Enabled by": links an access change to the traffic it made possible, so the change can inherit
// the share of the excess that traffic explains.
import type { AccessChange, EnabledLink, RateLimit, Touch } from "./types";
import type { GroupData, IndexedTraffic } from "./traffic";
import { histQuantile } from "./histogram";

/** Tyk limits are `rate` per `per` seconds; compare everything per minute. */
function perMinute(l: RateLimit | undefined): number | undefined {
  return l && l.per > 0 ? (l.rate / l.per) * 60 : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Old and new limits per minute, from normalised limits or else from the diff (rate/per/quota paths). */
export function limitChange(c: AccessChange): { raised: boolean; oldPerMin?: number; newPerMin?: number } {
  let oldPerMin = perMinute(c.limitBefore);
  let newPerMin = perMinute(c.limitAfter);
  let raised = oldPerMin != null && newPerMin != null && newPerMin > oldPerMin;
  const last = (p: string) => p.split(/[./]/).pop() ?? p;
  const rate = c.diff.find((d) => last(d.path) === "rate");
  const per = c.diff.find((d) => last(d.path) === "per");
  if (oldPerMin == null && rate) {
    const perB = num(per?.before), perA = num(per?.after);
    // Without `per` in the diff it did not change; the ratio of the rates is then the ratio of limits.
    if (perB != null) oldPerMin = ((num(rate.before) ?? 0) / perB) * 60;
    if (perA != null) newPerMin = ((num(rate.after) ?? 0) / perA) * 60;
  }
  for (const d of c.diff) {
    const key = last(d.path);
    if (!["rate", "quota_max", "quota_rate", "per"].includes(key)) continue;
    const b = num(d.before), a = num(d.after);
    if (b == null || a == null) continue;
    // A longer `per` is a tighter limit; -1 means unlimited in Tyk.
    if (key === "per" ? a < b : a === -1 || a > b) raised = true;
  }
  return { raised, oldPerMin, newPerMin };
}

export interface LinkOptions {
  /** Minimum rate growth factor for a key's traffic to count as "enabled" by a raised limit. */
  minGrowth?: number;
  /** Fraction of I's steady-caller volume that must have slowed to link an API definition change. */
  slowedFraction?: number;
}

/** For each change touch, the traffic it enabled (changes with no link are absent). */
export function linkEnabledTraffic(touches: Touch[], traffic: IndexedTraffic, o: LinkOptions = {}): Map<string, EnabledLink> {
  const minGrowth = o.minGrowth ?? 1.5;
  const keys = [...traffic.byKind.key.values()];
  const rateB = (g: GroupData) => g.countB / traffic.B.nMin;
  const rateI = (g: GroupData) => g.countI / traffic.I.nMin;
  const rose = (g: GroupData) => rateI(g) >= minGrowth * rateB(g) && rateI(g) - rateB(g) >= 1;
  const links = new Map<string, EnabledLink>();
  const slowed = callersSlowedFraction(traffic) >= (o.slowedFraction ?? 0.7);

  for (const { change: c } of touches) {
    if (c.kind === "policy" || c.kind === "key") {
      const lim = limitChange(c);
      if (lim.raised) {
        const under = keys.filter((g) => (c.kind === "policy" ? g.policyIds.has(c.targetId) : g.id === c.targetId) || c.keyHashes.includes(g.id));
        const grew = under.filter(rose);
        const past = lim.oldPerMin != null ? grew.filter((g) => rateI(g) > lim.oldPerMin!) : [];
        if (past.length) links.set(c.id, { changeId: c.id, reason: "rate_past_old_limit", keyHashes: past.map((g) => g.id), oldLimitPerMin: lim.oldPerMin });
        else if (lim.oldPerMin == null && grew.length) links.set(c.id, { changeId: c.id, reason: "rate_rose_after_limit_raised", keyHashes: grew.map((g) => g.id) });
        if (links.has(c.id)) continue;
      }
    }
    if (c.kind === "key" && (c.action === "create" || c.action === "rotate")) {
      const fresh = [c.targetId, ...c.keyHashes].filter((k, i, a) => a.indexOf(k) === i).map((k) => traffic.byKind.key.get(k)).filter((g): g is GroupData => !!g && g.countB === 0 && g.countI > 0);
      if (fresh.length) links.set(c.id, { changeId: c.id, reason: "new_key", keyHashes: fresh.map((g) => g.id) });
      continue;
    }
    if (c.kind === "oauth_client" && c.action === "create") {
      const client = traffic.byKind.oauth_client.get(c.targetId);
      if (client && client.countB === 0 && client.countI > 0) {
        links.set(c.id, { changeId: c.id, reason: "new_oauth_client", keyHashes: keys.filter((g) => g.oauthClientIds.has(c.targetId)).map((g) => g.id) });
      }
      continue;
    }
    if (c.kind === "api" && slowed) links.set(c.id, { changeId: c.id, reason: "all_callers_slowed", keyHashes: [] });
  }
  return links;
}

/**
 * Share of I's volume, among callers with enough requests in both windows, whose own latency rose
 * (p50 +15% or p99 +20%): "everyone got slower", the signature of a change below the callers.
 */
export function callersSlowedFraction(traffic: IndexedTraffic, minRequests = 5): number {
  let vol = 0, slowedVol = 0;
  for (const g of traffic.byKind.key.values()) {
    if (g.countB < minRequests || g.countI < minRequests) continue;
    const p50b = histQuantile(g.histB, null, g.countB, 0.5), p50i = histQuantile(g.histI, null, g.countI, 0.5);
    const p99b = histQuantile(g.histB, null, g.countB, 0.99), p99i = histQuantile(g.histI, null, g.countI, 0.99);
    vol += g.countI;
    if (p50i > 1.15 * p50b || p99i > 1.2 * p99b) slowedVol += g.countI;
  }
  return vol > 0 ? slowedVol / vol : 0;
}
