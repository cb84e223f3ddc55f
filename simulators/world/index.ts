// One deterministic, seeded world shared by the Tyk and Lightstep simulators so their data agree.
import { buildBaseline, IDENTITIES } from "./catalog";
import { buildScript } from "./events";
import { addScale } from "./scale";
import { createRateLimiter, longestWindow, type PolicyWrites } from "./rate-limits";
import { generateMinute } from "./traffic";
import type { PolicyWrite, SimRequest, World, WorldFlood, WorldGroupAnomaly, WorldIncident, WorldOptions, WorldState } from "./types";

export type * from "./types";

const MINUTE = 60_000;
export const DEFAULT_SEED = 42;

export function createWorld(opts: WorldOptions = {}): World {
  const seed = opts.seed ?? DEFAULT_SEED;
  const anchorMs = Math.floor((opts.anchor ?? new Date()).getTime() / MINUTE) * MINUTE;
  const anchor = new Date(anchorMs);
  const base = buildBaseline(seed, new Date(anchorMs - 24 * 60 * MINUTE));
  if (opts.scale) base.state = addScale(seed, base, opts.scale);
  const script = buildScript(seed, anchor, base);
  const events = script.map((s) => s.event);

  // snapshots[i] = state after events[0..i-1]; snapshots[0] = baseline.
  const snapshots: WorldState[] = [base.state];
  for (const s of script) snapshots.push(s.apply(snapshots[snapshots.length - 1]));

  const stateAt = (t: Date): WorldState => {
    const ms = t.getTime();
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid].at.getTime() <= ms) lo = mid + 1;
      else hi = mid;
    }
    return snapshots[lo];
  };

  const gold = base.policyByName.get("partner-gold")!;
  const culprit = base.state.keys.find((k) => k.alias === "globex-batch")!;
  const incident: WorldIncident = {
    endpoint: { apiId: base.apiBySlug.get("orders")!.id, method: "GET", template: "/orders" },
    policyId: gold.id,
    culpritKeyHash: culprit.hash,
    spikeStart: new Date(anchorMs - 120 * MINUTE),
    spikeEnd: new Date(anchorMs - 75 * MINUTE),
  };

  // Kiosks (policy kiosk-fleet, keys without an alias) print labels 4× slower for the last 50 minutes; the
  // dispatch service on the same endpoint does not.
  const shipping = base.apiBySlug.get("shipping")!;
  const groupAnomaly: WorldGroupAnomaly = {
    policyId: base.policyByName.get("kiosk-fleet")!.id, apiId: shipping.id, method: "POST", template: "/shipping/labels",
    start: new Date(anchorMs - 50 * MINUTE), factor: 4,
  };

  const floods: WorldFlood[] = [];
  const ctx = { seed, identities: IDENTITIES, incident, groupAnomaly, stateAt, floods: [] as { start: number; end: number }[] };
  const writes: PolicyWrites = new Map();
  const written: PolicyWrite[] = [];
  const policyNow = (id: string, ts: number) => {
    const p = stateAt(new Date(ts)).policies.find((x) => x.id === id);
    return p && { rate: p.rate, per: p.per };
  };
  // Minutes answered under limits look back this far (whole minutes) for the key's earlier allowed requests.
  let lookbackMinutes = 0;
  const firstWriteMinute = () => (written.length ? Math.floor(written[0].at.getTime() / MINUTE) * MINUTE : Infinity);

  // Per answered minute under limits: what each quota counter allowed (rate-limits.ts), so a minute's
  // quota starts from its period's earlier minutes however long the period is.
  const quotaLedger = new Map<number, Map<string, number>>();
  const quotaUsed = (counter: string, from: number, to: number) => {
    let n = 0;
    for (let m = from; m < to; m += MINUTE) n += quotaLedger.get(m)?.get(counter) ?? 0;
    return n;
  };
  const cache = new Map<number, SimRequest[]>();
  const remember = (start: number, reqs: SimRequest[]) => {
    if (cache.size > 240) cache.delete(cache.keys().next().value!);
    cache.set(start, reqs);
    return reqs;
  };
  // Each minute is answered afresh from the allowed requests of the minutes before it, so its answer
  // does not depend on the order minutes are asked for (the Tyk and Lightstep simulators agree).
  const answerMinute = (start: number) => {
    if (start + MINUTE <= firstWriteMinute()) return remember(start, generateMinute(ctx, start));
    const limit = createRateLimiter(writes, policyNow, quotaUsed);
    for (let m = Math.max(firstWriteMinute(), start - lookbackMinutes * MINUTE); m < start; m += MINUTE) {
      for (const r of wholeMinute(m)) limit.prime(r);
    }
    const reqs = generateMinute(ctx, start, (rs) => rs.map(limit));
    quotaLedger.set(start, limit.quotaUse());
    return remember(start, reqs);
  };
  const wholeMinute = (minuteStartMs: number): SimRequest[] => {
    const start = Math.floor(minuteStartMs / MINUTE) * MINUTE;
    const hit = cache.get(start);
    if (hit) return hit;
    // Under limits, answer the missing minutes before it oldest first, so the look-back never recurses deeply.
    let from = start;
    while (from - MINUTE >= firstWriteMinute() && !cache.has(from - MINUTE)) from -= MINUTE;
    for (let m = from; m < start; m += MINUTE) answerMinute(m);
    return answerMinute(start);
  };

  const forgetFrom = (at: Date) => {
    const from = Math.floor(at.getTime() / MINUTE) * MINUTE;
    for (const m of [...cache.keys()]) if (m >= from) cache.delete(m);
    for (const m of [...quotaLedger.keys()]) if (m >= from) quotaLedger.delete(m);
  };
  const startFlood = (f: WorldFlood) => {
    floods.push(f);
    // Whole minutes, like the seeded flood, from the next one: what was already served stays as it was.
    const start = Math.ceil(f.at.getTime() / MINUTE) * MINUTE;
    ctx.floods.push({ start, end: start + f.minutes * MINUTE });
    forgetFrom(new Date(start));
  };

  const writePolicy = (w: PolicyWrite) => {
    written.push(w);
    written.sort((a, b) => a.at.getTime() - b.at.getTime());
    const list = writes.get(w.id) ?? [];
    writes.set(w.id, [...list, { at: w.at, body: w.body }].sort((a, b) => a.at.getTime() - b.at.getTime()));
    lookbackMinutes = Math.min(180, Math.ceil(longestWindow(writes) / 60));
    forgetFrom(w.at);
  };

  const requestsInMinute = (minuteStartMs: number) => {
    const now = Date.now();
    if (Math.floor(minuteStartMs / MINUTE) * MINUTE > now) return [];
    const reqs = wholeMinute(minuteStartMs);
    return reqs.length && reqs[reqs.length - 1].ts > now ? reqs.filter((r) => r.ts <= now) : reqs;
  };

  const requestsBetween = (fromMs: number, toMs: number) => {
    const out = [];
    for (let m = Math.floor(fromMs / MINUTE) * MINUTE; m < toMs; m += MINUTE) {
      for (const r of requestsInMinute(m)) if (r.ts >= fromMs && r.ts < toMs) out.push(r);
    }
    return out;
  };

  return { seed, anchor, orgId: base.orgId, identities: IDENTITIES, events, stateAt, requestsInMinute, requestsBetween, incident, groupAnomaly,
    writePolicy, policyWrites: () => [...written], startFlood, floods: () => [...floods], rateLimiter: () => createRateLimiter(writes, policyNow) };
}
