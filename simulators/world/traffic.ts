// Who calls what, how often and how slowly. Each minute's requests are a pure function of
// (seed, anchor, minute): a per-minute PRNG stream plus the world state at that minute.
import { IDENTITIES } from "./catalog";
import { congested, congestion } from "./congestion";
import { hex, logNormal, pickWeighted, poisson, rngFor, type Rng } from "./prng";
import type { SimApi, SimEndpoint, SimRequest, WorldGroupAnomaly, WorldIncident, WorldState } from "./types";

interface CallerProfile {
  alias: string;
  perMinute: number;
  /** Constant-volume machines ignore the time of day. */
  diurnal: boolean;
  ip: string;
  userAgent: string;
  endpoints: { method: string; template: string; weight: number }[];
  /** Calls keyless APIs with no key (its requests carry a customer id on the trace side only). */
  keyless?: boolean;
}

const e = (method: string, template: string, weight: number) => ({ method, template, weight });

export const CALLERS: CallerProfile[] = [
  { alias: "search-indexer", perMinute: 34, diurnal: false, ip: "10.20.4.17", userAgent: "search-indexer/4.2 (+go-http-client)",
    endpoints: [e("GET", "/orders", 25), e("GET", "/catalog/products", 8), e("GET", "/catalog/products/{id}", 1)] },
  { alias: "web-frontend", perMinute: 30, diurnal: true, ip: "10.20.1.5", userAgent: "web-frontend/2026.11 node-fetch",
    endpoints: [e("GET", "/orders/{id}", 8), e("GET", "/orders", 4), e("POST", "/orders", 2), e("GET", "/catalog/search", 5),
      e("GET", "/catalog/products/{id}", 6), e("GET", "/users/me", 4), e("GET", "/users/{id}", 1), e("PATCH", "/users/{id}", 0.5),
      e("GET", "/reports/daily", 0.3), e("GET", "/inventory/{sku}", 1)] },
  { alias: "mobile-app", perMinute: 20, diurnal: true, ip: "10.20.2.9", userAgent: "Acme/7.4 (iOS 19; okhttp-like)",
    endpoints: [e("GET", "/payments/{id}", 9), e("GET", "/orders/{id}", 5), e("GET", "/users/me", 4), e("GET", "/catalog/products/{id}", 2)] },
  { alias: "billing-worker", perMinute: 6, diurnal: false, ip: "10.20.3.11", userAgent: "billing-worker/1.9 python-requests/2.32",
    endpoints: [e("POST", "/payments", 3), e("GET", "/payments/{id}", 2), e("GET", "/orders/{id}", 2)] },
  { alias: "reports-cron", perMinute: 0.6, diurnal: false, ip: "10.20.5.3", userAgent: "reports-cron/0.8 curl/8.5",
    endpoints: [e("GET", "/reports/export", 3), e("GET", "/reports/daily", 1)] },
  { alias: "globex-batch", perMinute: 2, diurnal: false, ip: "203.0.113.40", userAgent: "globex-batch/3.1 java-http-client/21",
    endpoints: [e("GET", "/orders/{id}", 4), e("GET", "/catalog/products", 1)] },
  { alias: "globex-portal", perMinute: 1, diurnal: true, ip: "203.0.113.41", userAgent: "Mozilla/5.0 globex-portal",
    endpoints: [e("GET", "/orders/{id}", 2), e("GET", "/payments/{id}", 1)] },
  { alias: "initech-sync", perMinute: 4, diurnal: true, ip: "198.51.100.23", userAgent: "initech-sync/5.0 axios/1.7",
    endpoints: [e("GET", "/catalog/products", 3), e("GET", "/orders", 1)] },
  { alias: "bob-dev", perMinute: 0.5, diurnal: true, ip: "203.0.113.77", userAgent: "curl/8.9.1",
    endpoints: [e("GET", "/catalog/products", 1), e("GET", "/orders", 1)] },
  { alias: "maya-dev", perMinute: 1, diurnal: true, ip: "10.30.0.44", userAgent: "insomnia/10.1",
    endpoints: [e("GET", "/catalog/search", 1), e("GET", "/orders/{id}", 1)] },
  { alias: "trial-umbrella", perMinute: 1.5, diurnal: true, ip: "192.0.2.15", userAgent: "python-requests/2.31",
    endpoints: [e("GET", "/catalog/products", 2), e("GET", "/catalog/search", 1)] },
  { alias: "trial-wayne", perMinute: 0.8, diurnal: true, ip: "192.0.2.88", userAgent: "PostmanRuntime/7.42",
    endpoints: [e("GET", "/catalog/products/{id}", 1)] },
  // Appended after the others so that their draws from each minute's stream stay as they were.
  ...[1, 2, 3].map((n) => ({ alias: `kiosk-${n}`, perMinute: 2, diurnal: false, ip: `10.40.0.${n}`, userAgent: "kiosk-fw/2.3",
    endpoints: [e("POST", "/shipping/labels", 3), e("GET", "/ledger/entries", 1)] })),
  { alias: "dispatch-service", perMinute: 3, diurnal: false, ip: "10.20.6.2", userAgent: "dispatch/1.4 go-http-client",
    endpoints: [e("POST", "/shipping/labels", 2), e("GET", "/shipping/rates", 2), e("GET", "/ledger/entries", 1)] },
  // Last, so that the others' draws stay as they were.
  { alias: "parcel-tracker", perMinute: 3, diurnal: false, ip: "198.51.100.80", userAgent: "Mozilla/5.0 parcel-tracker", keyless: true,
    endpoints: [e("GET", "/tracking/{id}", 1)] },
];

/** What a keyless request is made with: no key, no alias, no policy. */
const NO_KEY = { rawKey: "", hash: "", alias: "", identityId: "", policyIds: [] as string[], oauthClientId: "" };

const MINUTE = 60_000;
/** How much slower an export query is when the Orders upstream is saturated (a power of two: the seeded draws come back exactly). */
const EXPORT_QUEUEING = 4;

/** Busier in the (UTC) afternoon, quiet at night; averages 1 over a day. */
function diurnalFactor(ts: number): number {
  const hour = (ts % 86_400_000) / 3_600_000;
  return 1 + 0.55 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
}

function concretePath(rng: Rng, template: string): string {
  return template
    .replace("{id}", String(1000 + Math.floor(rng() * 98_000)))
    .replace("{sku}", `SKU-${String(Math.floor(rng() * 100_000)).padStart(5, "0")}`);
}

function statusFor(rng: Rng, method: string, template: string, tier: string): number {
  const r = rng();
  if (r < 0.003) return pickWeighted(rng, [{ s: 500, weight: 3 }, { s: 502, weight: 1 }, { s: 503, weight: 1 }]).s;
  if (r < 0.011 && template.includes("{")) return 404;
  if (r < 0.014) return method === "GET" ? 400 : 422;
  if (tier === "free" && r < 0.03) return 429;
  return method === "POST" ? 201 : 200;
}

export interface TrafficContext {
  seed: number;
  identities: typeof IDENTITIES;
  incident: WorldIncident;
  groupAnomaly: WorldGroupAnomaly;
  stateAt(t: Date): WorldState;
  /** Later runs of the incident's flood (epoch ms, [start, end)). */
  floods?: { start: number; end: number }[];
}

// As `policies.find(p => ids.includes(p.id))?.tier`: the key's policy that comes first in state order.
function firstTier(idx: StateIndex, ids: string[]): string | undefined {
  let best: { pos: number; tier: string | undefined } | undefined;
  for (const id of ids) {
    const at = idx.policyAt.get(id);
    if (at && (!best || at.pos < best.pos)) best = at;
  }
  return best?.tier;
}

function endpointOf(state: WorldState, method: string, template: string): { api: SimApi; ep: SimEndpoint } | undefined {
  for (const api of state.apis) {
    if (!api.active || !template.startsWith(api.listenPath.replace(/\/$/, ""))) continue;
    const ep = api.endpoints.find((x) => x.method === method && x.template === template);
    if (ep) return { api, ep };
  }
  return undefined;
}

// Per world state (snapshots are immutable): callers' current keys by alias and policy tiers by id.
// Scanning every key and policy for every request made a benchmark-sized estate (100,000 keys)
// cost minutes per simulated hour.
interface StateIndex {
  keyByAlias: Map<string, WorldState["keys"][number]>;
  /** Policy id → its first position in state order and its tier. */
  policyAt: Map<string, { pos: number; tier: string | undefined }>;
  endpoints: Map<string, { api: SimApi; ep: SimEndpoint } | undefined>;
}
const stateIndexes = new WeakMap<WorldState, StateIndex>();

function indexOf(state: WorldState): StateIndex {
  let idx = stateIndexes.get(state);
  if (!idx) {
    const keyByAlias = new Map<string, WorldState["keys"][number]>();
    // Later keys win, as `.filter(...).at(-1)` did.
    for (const k of state.keys) if (!k.isInactive) keyByAlias.set(k.ref ?? k.alias, k);
    const policyAt = new Map<string, { pos: number; tier: string | undefined }>();
    state.policies.forEach((p, pos) => {
      if (!policyAt.has(p.id)) policyAt.set(p.id, { pos, tier: p.tier });
    });
    idx = { keyByAlias, policyAt, endpoints: new Map() };
    stateIndexes.set(state, idx);
  }
  return idx;
}

/** The gateway's verdict on a minute's requests (in time order): each unchanged, or refused. */
export type Admit = (requests: SimRequest[]) => SimRequest[];

/**
 * Requests of one whole minute, sorted by time (not yet cut at the wall clock), as the gateway
 * answered them (`admit`); the incident API's latency follows the load the gateway let through.
 */
export function generateMinute(ctx: TrafficContext, minuteStartMs: number, admit: Admit = (rs) => rs): SimRequest[] {
  const minute = Math.floor(minuteStartMs / MINUTE);
  const start = minute * MINUTE;
  const rng = rngFor(ctx.seed, "minute", minute);
  const state = ctx.stateAt(new Date(start));
  const { spikeStart, spikeEnd } = ctx.incident;
  const flooding = (start >= spikeStart.getTime() && start < spikeEnd.getTime()) || (ctx.floods ?? []).some((f) => start >= f.start && start < f.end);
  const drafts: Omit<SimRequest, "id">[] = [];
  // Per draft: its upstream latency before congestion, and its route's slowdown when the upstream is saturated.
  const unloaded = new Map<object, { ms: number; saturated: number }>();

  const emit = (caller: CallerProfile, method: string, template: string, heavy: boolean) => {
    const key = caller.keyless ? NO_KEY : indexOf(state).keyByAlias.get(caller.alias);
    const endpoints = indexOf(state).endpoints;
    const route = `${method} ${template}`;
    if (!endpoints.has(route)) endpoints.set(route, endpointOf(state, method, template));
    const target = endpoints.get(route);
    if (!key || !target || (caller.keyless ?? false) !== (target.api.keyless ?? false)) return;
    const identity = ctx.identities.find((i) => i.id === key.identityId);
    const tier = firstTier(indexOf(state), key.policyIds) ?? "internal";
    const ts = start + Math.floor(rng() * MINUTE);
    const status = statusFor(rng, method, template, tier);
    let upstream: number;
    if (heavy) {
      upstream = Math.min(3200, Math.max(1000, logNormal(rng, 1700, 0.3)));
    } else {
      upstream = logNormal(rng, target.ep.medianMs, target.ep.sigma) * (0.85 + 0.3 * diurnalFactor(ts) / 1.55);
      const g = ctx.groupAnomaly;
      if (ts >= g.start.getTime() && target.api.id === g.apiId && method === g.method && template === g.template && key.policyIds.includes(g.policyId)) upstream *= g.factor;
      if (status === 429) upstream = 0;
    }
    const gateway = 1 + Math.floor(rng() * 4);
    const upstreamMs = Math.round(upstream);
    // A saturated Orders upstream: the export queries queue behind each other (×4), GET /orders
    // suffers most of the rest, the rest of the API a little.
    const saturated = heavy ? EXPORT_QUEUEING : target.api.id !== ctx.incident.endpoint.apiId ? 1 : template === "/orders" && method === "GET" ? 1.6 : 1.15;
    const draft: Omit<SimRequest, "id"> = {
      ts, apiId: target.api.id, apiName: target.api.name, listenPath: target.api.listenPath, orgId: target.api.orgId,
      method, path: concretePath(rng, template), template, status,
      latencyMs: upstreamMs + gateway, upstreamMs, gatewayMs: gateway,
      rawKey: key.rawKey, keyHash: key.hash, keyAlias: key.alias, oauthClientId: key.oauthClientId, policyIds: key.policyIds,
      identityEmail: identity?.kind === "person" ? identity.email : undefined,
      serviceName: identity?.kind === "service" ? identity.name : undefined,
      ...(caller.keyless ? { customerId: `cust-${1000 + Math.floor(rng() * 9000)}` } : {}),
      // Drawn either way, so later requests' draws do not depend on which APIs trace.
      traceId: ((id) => (target.api.detailedTracing === false ? "" : id))(hex(rng, 32)), spanId: hex(rng, 16), environment: "production", ip: caller.ip, userAgent: caller.userAgent,
    };
    drafts.push(draft);
    if (target.api.id === ctx.incident.endpoint.apiId) unloaded.set(draft, { ms: upstream / (heavy ? EXPORT_QUEUEING : 1), saturated });
  };

  for (const caller of CALLERS) {
    const mean = caller.perMinute * (caller.diurnal ? diurnalFactor(start + 30_000) : 1);
    const count = poisson(rng, mean);
    for (let i = 0; i < count; i++) {
      const ep = pickWeighted(rng, caller.endpoints);
      emit(caller, ep.method, ep.template, false);
    }
    if (flooding && caller.alias === "globex-batch") {
      const heavy = poisson(rng, 45);
      for (let i = 0; i < heavy; i++) emit(caller, "GET", "/orders", true);
    }
  }
  drafts.sort((a, b) => a.ts - b.ts);
  const asked = drafts.map((d, i) => ({ id: `req-${minute.toString(36)}-${i}`, ...d }));
  const answered = admit(asked);
  // The upstream's load is the work of the requests that reached it.
  let loadMs = 0;
  answered.forEach((r, i) => {
    if (r === asked[i]) loadMs += unloaded.get(drafts[i])?.ms ?? 0;
  });
  const share = congestion(loadMs);
  return answered.map((r, i) => {
    const u = unloaded.get(drafts[i]);
    if (r !== asked[i] || !u || u.saturated === 1 || r.upstreamMs === 0) return r;
    const upstreamMs = Math.round(congested(u.ms, u.saturated, share));
    return upstreamMs === r.upstreamMs ? r : { ...r, upstreamMs, latencyMs: upstreamMs + r.gatewayMs };
  });
}
