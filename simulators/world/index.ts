// One deterministic, seeded world shared by the Tyk and Lightstep simulators so their data agree.
import { buildBaseline, IDENTITIES } from "./catalog";
import { buildScript } from "./events";
import { addScale } from "./scale";
import { generateMinute } from "./traffic";
import type { World, WorldGroupAnomaly, WorldIncident, WorldOptions, WorldState } from "./types";

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

  const ctx = { seed, identities: IDENTITIES, incident, groupAnomaly, stateAt };
  const cache = new Map<number, ReturnType<typeof generateMinute>>();
  const wholeMinute = (minuteStartMs: number) => {
    const start = Math.floor(minuteStartMs / MINUTE) * MINUTE;
    let reqs = cache.get(start);
    if (!reqs) {
      reqs = generateMinute(ctx, start);
      if (cache.size > 240) cache.delete(cache.keys().next().value!);
      cache.set(start, reqs);
    }
    return reqs;
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

  return { seed, anchor, orgId: base.orgId, identities: IDENTITIES, events, stateAt, requestsInMinute, requestsBetween, incident, groupAnomaly };
}
