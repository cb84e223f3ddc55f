import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";
import { TtlCache } from "./ttl-cache";
import { REDACTED, matchTykProxy, proxyCacheKey, redactTykResponse } from "./tyk-proxy";

const sp = (s = "") => new URLSearchParams(s);

describe("matchTykProxy", () => {
  it("allows the read endpoints and keeps only their allowlisted query params, sorted", () => {
    expect(matchTykProxy("GET", ["apis"], sp("p=2&evil=1"))).toEqual({ path: "/api/apis", query: [["p", "2"]] });
    expect(matchTykProxy("GET", ["apis", "abc123"], sp("p=1"))).toEqual({ path: "/api/apis/abc123", query: [] });
    expect(matchTykProxy("GET", ["portal", "policies", "5f0c"], sp())?.path).toBe("/api/portal/policies/5f0c");
    expect(matchTykProxy("GET", ["keys", "detailed"], sp("q=gold&p=3"))).toEqual({ path: "/api/keys/detailed", query: [["p", "3"], ["q", "gold"]] });
    expect(matchTykProxy("GET", ["users"], sp())?.path).toBe("/api/users");
  });

  it("refuses writes, other paths, traversal and raw key lookups", () => {
    expect(matchTykProxy("POST", ["apis"], sp())).toBeNull();
    expect(matchTykProxy("DELETE", ["portal", "policies", "x"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["keys", "abcdef"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["keys"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["audit-logs"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["apis", ".."], sp())).toBeNull();
    expect(matchTykProxy("GET", ["apis", "a", "b"], sp())).toBeNull();
    expect(matchTykProxy("GET", ["users", "u1", "actions", "key", "reset"], sp())).toBeNull();
    expect(matchTykProxy("GET", [], sp())).toBeNull();
  });

  it("builds the same cache key whatever the parameter order", () => {
    const a = matchTykProxy("GET", ["keys", "detailed"], sp("q=x&p=1"))!;
    const b = matchTykProxy("GET", ["keys", "detailed"], sp("p=1&q=x&junk=2"))!;
    expect(proxyCacheKey(a)).toBe(proxyCacheKey(b));
  });
});

describe("redactTykResponse", () => {
  it("masks key ids and removes secrets at any depth, leaving other fields alone", () => {
    const body = {
      keys: [{ key_id: "abcdefgh1234", key_hash: "h", data: { alias: "x", hmac_string: "s3cret", basic_auth_data: { password: "p" }, rate: 5 } }],
      users: [{ email_address: "a@b", access_key: "dashboard-key" }],
    };
    const out = redactTykResponse(body) as typeof body;
    expect(out.keys[0].key_id).toBe("••••1234");
    expect(out.keys[0].key_hash).toBe("h");
    expect(out.keys[0].data).toEqual({ alias: "x", hmac_string: REDACTED, basic_auth_data: REDACTED, rate: 5 });
    expect(out.users[0]).toEqual({ email_address: "a@b", access_key: REDACTED });
    expect(JSON.stringify(out)).not.toMatch(/abcdefgh|s3cret|dashboard-key/);
    expect(body.keys[0].key_id).toBe("abcdefgh1234"); // input untouched
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
