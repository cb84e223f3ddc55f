// Key writes as the Dashboard API takes them (POST /api/keys, PUT and DELETE /api/keys/{id} and
// /api/apis/{apiId}/keys/{id}), OAuth client secret rotation, and the simulated gateway's verdict on
// requests made with a key (POST /_sim/requests, and the world's own traffic once a key was deleted
// or expired through the API). Field for field as tyk-docs swagger/dashboard-swagger.yml: the raw key
// is returned once, in `key_id`, by the create; failed decodes answer 403 "Request body malformed.".
import { randomBytes } from "node:crypto";
import type { SimKey, SimRequest, World, WorldState } from "../world";
import {
  admit, factsOf, generateRawKey, KEY_REFUSALS, normaliseSession, type LiveKey, type LiveKeys, type Refusal,
} from "./live-keys";
import type { PumpWriter } from "./pump-writer";
import { err, parseJson, type Reply } from "./reply";
import { keyDataJson, oauthAppJson } from "./serializers";

type Json = Record<string, unknown>;
type AnyKey = SimKey | LiveKey;

export interface KeyRoutesOptions {
  world: World;
  live: LiveKeys;
  now: () => Date;
  hashKeys: boolean;
  /** The policies as the Dashboard serves them now (id → JSON). */
  policies: () => Map<string, Json>;
  /** Appends a live write to the Dashboard's audit log. */
  audit: (method: string, url: string, action: string, status: number) => void;
  pump: () => PumpWriter | null;
  /** The gateway's rate limiter: the request unchanged, or answered 429. */
  rateLimit?: (r: SimRequest) => SimRequest;
}

const MALFORMED = err(403, "Request body malformed.");
const NO_KEY = err(404, "Could not retrieve key detail.");
const MAX_SIM_REQUESTS = 500;

export function keyRoutes(o: KeyRoutesOptions) {
  const { live, world } = o;
  const byHash = new WeakMap<WorldState, Map<string, SimKey>>();
  const worldKeys = (state: WorldState) => {
    let m = byHash.get(state);
    if (!m) byHash.set(state, (m = new Map(state.keys.map((k) => [k.hash, k]))));
    return m;
  };
  const keyAt = (id: string, at = o.now()): AnyKey | null => {
    const state = world.stateAt(at);
    return live.keyAt(live.hashOf(id), at, (h) => worldKeys(state).get(h));
  };
  const policyApis = (policies: Map<string, Json>) => (id: string) => Object.keys((policies.get(id)?.access_rights as Json | undefined) ?? {});

  /** Every key the Dashboard holds now: the world's (as replaced or deleted through the API) and those created through it. */
  function allKeys(state: WorldState): AnyKey[] {
    if (live.empty) return state.keys;
    const at = o.now();
    const out: AnyKey[] = [];
    for (const k of state.keys) {
      const v = live.touched(k.hash, at) ? live.keyAt(k.hash, at, () => k) : k;
      if (v) out.push(v);
    }
    return [...out, ...live.created(at)];
  }

  /** The keys a per-API listing shows: those whose policies (or own access rights) grant that API. */
  function keysForApi(state: WorldState, apiId: string): AnyKey[] {
    const granting = new Set([...o.policies()].filter(([, p]) => apiId in ((p.access_rights as Json | undefined) ?? {})).map(([id]) => id));
    return allKeys(state).filter((k) => {
      const f = factsOf(k);
      return f.ownApis.includes(apiId) || f.policyIds.some((p) => granting.has(p));
    });
  }

  const keyJson = (k: AnyKey) => keyDataJson(k, o.hashKeys, o.policies());

  function createKey(body: string): Reply {
    const session = normaliseSession(parseJson(body), world.orgId);
    if (!session) return MALFORMED;
    const key = live.create(session, o.now(), generateRawKey(String(session.org_id)));
    o.audit("POST", "/api/keys", "Create key", 200);
    // The one answer that carries the raw key, whatever hash_keys says.
    return { status: 200, body: { ...keyJson(key), key_id: key.rawKey } };
  }

  function updateKey(id: string, url: string, body: string): Reply {
    const existing = keyAt(id);
    if (!existing) return NO_KEY;
    const session = normaliseSession(parseJson(body), world.orgId);
    if (!session) return MALFORMED;
    const key = live.replace(existing, session, o.now());
    o.audit("PUT", url, "Update key", 200);
    return { status: 200, body: keyJson(key) };
  }

  function deleteKey(id: string, url: string): Reply {
    const existing = keyAt(id);
    if (!existing) return NO_KEY;
    live.delete(existing.hash, o.now());
    o.audit("DELETE", url, "Delete key", 200);
    return { status: 200, body: { Status: "OK", Message: "Key deleted successfully.", Meta: null } };
  }

  function rotateSecret(apiId: string, clientId: string, url: string): Reply {
    const state = world.stateAt(o.now());
    const api = state.apis.find((a) => a.id === apiId || a.dbId === apiId);
    if (!api) return err(400, "API Reference not found.");
    const client = state.oauthClients.find((c) => c.clientId === clientId && c.apiId === api.id);
    if (!client) return err(404, "Could not retrieve app detail.");
    const secret = live.rotateSecret(clientId, o.now());
    o.audit("PUT", url, "Rotate OAuth client secret", 200);
    return { status: 200, body: oauthAppJson(client, secret) };
  }

  /** Write routes under /api (`r` = the path segments after "api"); null when the route is not one of them. */
  async function route(method: string, r: string[], url: string, body: () => Promise<string>): Promise<Reply | null> {
    if (r[0] === "keys" && r.length === 1 && method === "POST") return createKey(await body());
    const keyId = r[0] === "keys" && r.length === 2 ? r[1] : r[0] === "apis" && r[2] === "keys" && r.length === 4 ? r[3] : null;
    if (keyId && r[1] !== "detailed" && method === "PUT") return updateKey(keyId, url, await body());
    if (keyId && r[1] !== "detailed" && method === "DELETE") return deleteKey(keyId, url);
    if (method === "PUT" && r[0] === "apis" && r[1] === "oauth" && r.length === 5 && r[4] === "rotate") return rotateSecret(r[2], r[3], url);
    return null;
  }

  const refused = (r: SimRequest, why: Refusal): SimRequest => ({
    ...r, status: why.status, latencyMs: r.gatewayMs, upstreamMs: 0,
    // An unknown key has no session: nothing of it is recorded but the key itself.
    ...(why === KEY_REFUSALS.unknown ? { keyAlias: "", policyIds: [], oauthClientId: "" } : {}),
  });

  /** The world's own request as the gateway would serve it given the keys written through the API. */
  function admitWorldRequest(r: SimRequest): SimRequest {
    const at = new Date(r.ts);
    if (live.empty || !live.touched(r.keyHash, at)) return r;
    const k = live.keyAt(r.keyHash, at, () => undefined);
    const why = admit(k ? factsOf(k) : null, r.apiId, r.ts, policyApis(o.policies()));
    return why ? refused(r, why) : r;
  }

  /**
   * `POST /_sim/requests {key, count?, apiId?}`: the gateway serves `count` requests made with the
   * raw `key` now and the pump records them — refused with Tyk's 401/403 when the key is unknown,
   * deleted, expired or inactive. For keys created through the API, which the world's traffic never uses.
   */
  async function simRequests(body: string): Promise<Reply> {
    const input = parseJson(body) as { key?: unknown; count?: unknown; apiId?: unknown } | undefined;
    if (!input || typeof input.key !== "string" || !input.key) return err(400, "key: the raw key to call with is required");
    const count = input.count === undefined ? 1 : Number(input.count);
    if (!Number.isInteger(count) || count < 1 || count > MAX_SIM_REQUESTS) return err(400, `count: a whole number from 1 to ${MAX_SIM_REQUESTS}`);
    const pump = o.pump();
    if (!pump) return err(409, "this simulator writes no pump table (TYK_SIM_ANALYTICS_DATABASE_URL is unset)");
    const at = o.now();
    const state = world.stateAt(at);
    const k = keyAt(input.key, at);
    const facts = k ? factsOf(k) : null;
    const grants = policyApis(o.policies());
    const granted = facts ? [...facts.ownApis, ...facts.policyIds.flatMap(grants)] : [];
    const apiId = typeof input.apiId === "string" ? input.apiId : granted[0] ?? state.apis[0]?.id;
    const api = state.apis.find((a) => a.id === apiId);
    if (!api) return err(400, "apiId: no such API");
    const ep = api.endpoints[0];
    const why = admit(facts, api.id, at.getTime(), grants);
    const requests: SimRequest[] = [];
    for (let i = 0; i < count; i++) {
      const gatewayMs = 1 + (i % 3);
      const upstreamMs = why ? 0 : Math.round(ep.medianMs * (0.8 + ((i * 37) % 40) / 100));
      const r: SimRequest = {
        id: `sim-${randomBytes(6).toString("hex")}`, ts: at.getTime() + i, apiId: api.id, apiName: api.name, listenPath: api.listenPath,
        orgId: api.orgId, method: ep.method, path: ep.template.replace(/\{[^}]+\}/g, "1"), template: ep.template, status: 200,
        latencyMs: upstreamMs + gatewayMs, upstreamMs, gatewayMs, rawKey: input.key, keyHash: facts?.hash ?? live.hashOf(input.key),
        keyAlias: facts?.alias ?? "", oauthClientId: facts?.oauthClientId ?? "", policyIds: facts?.policyIds ?? [],
        traceId: randomBytes(16).toString("hex"), spanId: randomBytes(8).toString("hex"), environment: "production",
        ip: "127.0.0.1", userAgent: "tyk-sim/requests",
      };
      requests.push(why ? refused(r, why) : (o.rateLimit?.(r) ?? r));
    }
    await pump.append(requests);
    const limited = requests.filter((r) => r.status === 429).length;
    const overQuota = why ? 0 : requests.filter((r) => r.status === 403).length;
    return { status: 200, body: { served: count, apiId: api.id, status: why?.status ?? 200, message: why?.message ?? null, rateLimited: limited, quotaExceeded: overQuota } };
  }

  return { keyAt, allKeys, keysForApi, route, admitWorldRequest, simRequests };
}
