import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWorld } from "@/simulators/world";
import { apiWrapperJson, keyDataJson, policyJson } from "@/simulators/tyk-dashboard/serializers";
import { RateLimiter } from "./rate-limit";
import { TtlCache } from "./ttl-cache";
import { matchTykProxy, pickTykFields, proxyCacheKey, type Shape } from "./tyk-proxy";

const sp = (s = "") => new URLSearchParams(s);

describe("matchTykProxy", () => {
  it("allows the read endpoints and keeps only their allowlisted query params, sorted", () => {
    expect(matchTykProxy("GET", ["apis"], sp("p=2&evil=1"))).toMatchObject({ path: "/api/apis", query: [["p", "2"]] });
    expect(matchTykProxy("GET", ["apis", "abc123"], sp("p=1"))).toMatchObject({ path: "/api/apis/abc123", query: [] });
    expect(matchTykProxy("GET", ["portal", "policies", "5f0c"], sp())?.path).toBe("/api/portal/policies/5f0c");
    expect(matchTykProxy("GET", ["keys", "detailed"], sp("q=gold&p=3"))).toMatchObject({ path: "/api/keys/detailed", query: [["p", "3"], ["q", "gold"]] });
  });

  it("refuses writes, other paths, traversal, raw key lookups and Dashboard users", () => {
    expect(matchTykProxy("POST", ["apis"], sp())).toBeNull();
    expect(matchTykProxy("DELETE", ["portal", "policies", "x"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["keys", "abcdef"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["keys"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["audit-logs"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["apis", ".."], sp())).toBeNull();
    expect(matchTykProxy("GET", ["apis", "a", "b"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["users"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["users", "u1", "actions", "key", "reset"], sp())).toBeNull();
    expect(matchTykProxy("GET", [], sp())).toBeNull();
  });

  it("builds the same cache key whatever the parameter order", () => {
    const a = matchTykProxy("GET", ["keys", "detailed"], sp("q=x&p=1"))!;
    const b = matchTykProxy("GET", ["keys", "detailed"], sp("p=1&q=x&junk=2"))!;
    expect(proxyCacheKey(a)).toBe(proxyCacheKey(b));
  });
});

/** Every key path of a JSON value ("a.b", arrays and maps as "*"), to compare with a shape. */
function paths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => paths(v, prefix));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...paths(v, `${prefix}${k}.`)]);
}

function allowedBy(shape: Shape, path: string[]): boolean {
  if (!path.length) return true;
  if (shape === true || shape === "mask") return false;
  const sub = shape["*"] ?? shape[path[0]];
  return sub !== undefined && allowedBy(sub, path.slice(1));
}

// What a real Dashboard may also hold: the fields the review found, and whatever a later version adds.
const SECRETS = {
  jwt_source: "https://idp.internal/jwks?secret=S3CR3T-JWT", config_data: { db_password: "S3CR3T-CONFIG" },
  global_headers: { Authorization: "Bearer S3CR3T-HEADER" }, event_handlers: { events: { QuotaExceeded: [{ handler_meta: { shared_secret: "S3CR3T-HOOK" } }] } },
  basic_auth_data: { password: "S3CR3T-BASIC" }, jwt_data: { secret: "S3CR3T-JWTDATA" }, hmac_string: "S3CR3T-HMAC", meta_data: { token: "S3CR3T-META" },
};

describe("pickTykFields", () => {
  const world = createWorld({ seed: 42 });
  const state = world.stateAt(world.anchor);
  const policies = new Map(state.policies.map((p) => [p.id, policyJson(p)]));
  const answers: Record<string, unknown> = {
    apis: { apis: state.apis.map((a) => { const w = apiWrapperJson(a); return { ...w, api_definition: { ...(w.api_definition as object), ...SECRETS } }; }), pages: 1 },
    "portal/policies": { Data: [...policies.values()].map((p) => ({ ...p, ...SECRETS })), Pages: 1 },
    "keys/detailed": { keys: state.keys.slice(0, 20).map((k) => { const d = keyDataJson(k, false, policies); return { ...d, data: { ...(d.data as object), ...SECRETS } }; }), pages: 1 },
  };

  it("passes on only the allowlisted fields of real Dashboard answers, keys masked, no secret", () => {
    for (const [route, body] of Object.entries(answers)) {
      const target = matchTykProxy("GET", route.split("/"), sp())!;
      const out = pickTykFields(body, target.shape);
      expect(paths(out).filter((p) => !allowedBy(target.shape, p.split("."))), route).toEqual([]);
      expect(JSON.stringify(out), route).not.toMatch(/S3CR3T|target_url|listen_port|custom_middleware/);
    }
    const keys = pickTykFields(answers["keys/detailed"], matchTykProxy("GET", ["keys", "detailed"], sp())!.shape) as { keys: { key_id: string; data: { alias: string } }[] };
    expect(keys.keys[0].key_id).toMatch(/^••••.{4}$/);
    expect(keys.keys.every((k) => typeof k.data.alias === "string")).toBe(true);
    const apis = pickTykFields(answers.apis, matchTykProxy("GET", ["apis"], sp())!.shape) as { apis: { api_definition: { name: string; proxy: { listen_path: string } } }[] };
    expect(apis.apis[0].api_definition).toEqual({ api_id: expect.any(String), name: expect.any(String), slug: expect.any(String), active: true, tags: expect.any(Array), proxy: { listen_path: expect.any(String) } });
  });

  it("drops any field it does not name, at any depth, whatever the Dashboard adds", () => {
    const shape = matchTykProxy("GET", ["portal", "policies"], sp())!.shape;
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), fc.object({ maxDepth: 3 }), (extra, nested) => {
        const body = { Data: [{ ...extra, name: "gold", access_rights: { api1: { ...nested, api_id: "api1" } } }], Pages: 1, ...extra };
        const out = pickTykFields(body, shape);
        expect(paths(out).filter((p) => !allowedBy(shape, p.split(".")))).toEqual([]);
      }),
    );
  });
});

describe("TtlCache", () => {
  it("expires entries after the TTL and evicts the oldest past the cap", () => {
    let t = 0;
    const c = new TtlCache<number>(15_000, 2, () => t);
    c.set("a", 1);
    t = 14_999;
    expect(c.get("a")).toBe(1);
    t = 15_000;
    expect(c.get("a")).toBeUndefined();
    c.set("x", 1);
    c.set("y", 2);
    c.set("z", 3);
    expect(c.get("x")).toBeUndefined();
    expect([c.get("y"), c.get("z"), c.size]).toEqual([2, 3, 2]);
  });
});

describe("RateLimiter", () => {
  it("allows `limit` hits per window per subject, then refuses until the oldest leaves", () => {
    let t = 0;
    const rl = new RateLimiter(3, 60_000, () => t);
    expect([rl.take("u1"), rl.take("u1"), rl.take("u1")].every((r) => r.allowed)).toBe(true);
    t = 10_000;
    expect(rl.take("u1")).toEqual({ allowed: false, retryAfterMs: 50_000 });
    expect(rl.take("u2").allowed).toBe(true);
    t = 60_001;
    expect(rl.take("u1").allowed).toBe(true);
  });
});
