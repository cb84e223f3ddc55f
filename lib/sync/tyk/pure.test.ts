import { describe, expect, it } from "vitest";
import { actionForMethod, attributeChange, pickCreateEntry, type AuditRef } from "./attribution";
import { parseAuditTarget, redactKeyTarget, sha256Hex } from "./audit-target";
import { diffSnapshots } from "./diff";
import { identityForKey } from "./identity-rule";
import { onlyPolicyDerived } from "./stage-keys";
import { keyHashOf, keySnapshot, policySnapshot, tykTime } from "./snapshots";

describe("diffSnapshots", () => {
  it("reports changed leaves with dotted paths, sorted", () => {
    const before = { name: "partner-gold", rate: 100, per: 1, access_rights: { a1: { limit: { rate: 0 } } }, tags: ["partner"] };
    const after = { name: "partner-gold", rate: 2000, per: 1, access_rights: { a1: { limit: { rate: 5 } } }, tags: ["partner", "gold"] };
    expect(diffSnapshots(before, after)).toEqual([
      { path: "access_rights.a1.limit.rate", before: 0, after: 5 },
      { path: "rate", before: 100, after: 2000 },
      { path: "tags", before: ["partner"], after: ["partner", "gold"] },
    ]);
  });
  it("added and removed fields and whole subtrees; no diff for equal input", () => {
    expect(diffSnapshots({ a: 1 }, { b: { c: 2 } })).toEqual([
      { path: "a", before: 1, after: null },
      { path: "b", before: null, after: { c: 2 } },
    ]);
    expect(diffSnapshots({ x: [1, { y: 2 }] }, { x: [1, { y: 2 }] })).toEqual([]);
    expect(diffSnapshots({ a: { b: 1 } }, { a: 5 })).toEqual([{ path: "a", before: { b: 1 }, after: 5 }]);
  });
});

describe("identityForKey", () => {
  it("follows the documented precedence", () => {
    expect(identityForKey({ alias: "globex-batch", meta_data: { team: "globex" } })).toMatchObject({ kind: "service", externalId: "globex-batch", team: "globex" });
    expect(identityForKey({ alias: "Bob@Globex.test" })).toMatchObject({ kind: "person", externalId: "bob@globex.test" });
    expect(identityForKey({ alias: "bob-dev", meta_data: { email: "bob@globex.test" } })).toMatchObject({ kind: "person", externalId: "bob@globex.test" });
    expect(identityForKey({ alias: "x", meta_data: { service: "billing-worker" } })).toMatchObject({ kind: "service", externalId: "billing-worker" });
    expect(identityForKey({ alias: "x", tags: ["team:search", "service:search-indexer"] })).toMatchObject({ kind: "service", externalId: "search-indexer", team: "search" });
    expect(identityForKey({ tags: ["user:vera@acme.test"] })).toMatchObject({ kind: "person", externalId: "vera@acme.test" });
    expect(identityForKey({ alias: "", meta_data: {}, tags: [] })).toBeNull();
  });
});

describe("parseAuditTarget", () => {
  it.each([
    ["/api/portal/policies/62a0", { kind: "policy", id: "62a0" }],
    ["/api/portal/policies", { kind: "policy", id: null }],
    ["/api/keys/abc?hashed=1", { kind: "key", id: "abc" }],
    ["/api/keys", { kind: "key", id: null }],
    ["/api/apis/a1/keys/k1", { kind: "key", id: "k1" }],
    ["/api/apis/keys", { kind: "key", id: null }],
    ["/api/apis", { kind: "api", id: null }],
    ["/api/apis/a1", { kind: "api", id: "a1" }],
    ["/api/apis/oas/a1", { kind: "api", id: "a1" }],
    ["/api/apis/oas", { kind: "api", id: null }],
    ["/api/apis/oauth/a1/c1", { kind: "oauth_client", id: "c1" }],
    ["/api/apis/oauth/a1", { kind: "oauth_client", id: null }],
    ["/api/users/u1", null],
    ["/api/portal/policies/search", null],
  ])("%s", (url, want) => expect(parseAuditTarget(url)).toEqual(want));

  it("stores a raw key from a URL as its sha256, never raw", () => {
    const raw = "5e9d9544a1dcd60001d0ed20e7f75f9e03534825b7aef9df749582e5";
    const out = redactKeyTarget(`/api/keys/${raw}?x=1`, raw, new Set());
    expect(out.id).toBe(sha256Hex(raw));
    expect(out.url).toBe(`/api/keys/${sha256Hex(raw)}`);
    const hash = sha256Hex("k");
    expect(redactKeyTarget(`/api/keys/${hash}`, hash, new Set()).id).toBe(hash);
  });
});

describe("attribution", () => {
  const e = (id: string, min: number, user = "ada@acme.test"): AuditRef => ({ id, at: new Date(min * 60_000), user, method: "PUT", url: "/api/portal/policies/p", status: 200 });
  it("latest audited write gives actor and time; all writes are kept", () => {
    const a = attributeChange([e("2", 5, "rui@acme.test"), e("1", 3)], new Date(600_000));
    expect(a).toMatchObject({ actor: "rui@acme.test", timeSource: "audit" });
    expect(a.changedAt.getTime()).toBe(300_000);
    expect(a.auditEntries.map((x) => x.id)).toEqual(["1", "2"]);
  });
  it("no write → first seen, actor unknown", () => {
    expect(attributeChange([], new Date(42))).toEqual({ actor: null, changedAt: new Date(42), timeSource: "first_seen", auditEntries: [] });
  });
  it("pairs a create with the nearest collection POST, once", () => {
    const taken = new Set<string>();
    const c = [e("a", 1), e("b", 10)];
    expect(pickCreateEntry(c, new Date(9 * 60_000), taken)?.id).toBe("b");
    expect(pickCreateEntry(c, new Date(9 * 60_000), taken)?.id).toBe("a");
    expect(pickCreateEntry(c, null, taken)).toBeNull();
  });
  it("maps methods to actions", () => {
    expect(actionForMethod("key", "DELETE")).toBe("revoke");
    expect(actionForMethod("policy", "DELETE")).toBe("delete");
    expect(actionForMethod("policy", "PUT")).toBe("update");
    expect(actionForMethod("api", "POST")).toBe("create");
  });
});

describe("snapshots", () => {
  it("keys: no raw key id, no secrets, no volatile counters; hash + last4 kept", () => {
    const raw = "org1234deadbeefcafe";
    const snap = keySnapshot({
      key_id: raw, key_hash: null,
      data: { alias: "a", apply_policies: [], tags: [], allowance: 5, quota_remaining: 3, last_updated: "1", basic_auth_data: { user: "u", password: "pw" }, hmac_string: "h" } as never,
    }) as Record<string, unknown>;
    expect(JSON.stringify(snap)).not.toContain(raw);
    expect(JSON.stringify(snap)).not.toContain("pw");
    expect(snap).toMatchObject({ key_hash: sha256Hex(raw), last4: "cafe", alias: "a", basic_auth_data: { user: "u" } });
    expect(snap).not.toHaveProperty("allowance");
    expect(keyHashOf({ key_id: raw, key_hash: "41c5cb1e" })).toBe("41c5cb1e");
  });
  it("policies: last_updated alone is not a change", () => {
    const p = { _id: "p", name: "n", rate: 1, tags: [] };
    expect(policySnapshot({ ...p, last_updated: "1" })).toEqual(policySnapshot({ ...p, last_updated: "2" }));
  });
  it("tykTime reads epoch-second strings and ISO dates", () => {
    expect(tykTime("1716980105")?.toISOString()).toBe("2024-05-29T10:55:05.000Z");
    expect(tykTime("2024-05-27T10:24:31.099Z")?.toISOString()).toBe("2024-05-27T10:24:31.099Z");
    expect(tykTime(0)).toBeNull();
    expect(tykTime("")).toBeNull();
  });
});

describe("onlyPolicyDerived", () => {
  it("is true only for diffs confined to fields a key copies from its policies", () => {
    expect(onlyPolicyDerived([{ path: "rate", before: 100, after: 2000 }, { path: "access_rights.a1", before: null, after: {} }])).toBe(true);
    expect(onlyPolicyDerived([{ path: "rate", before: 1, after: 2 }, { path: "tags", before: [], after: ["x"] }])).toBe(false);
    expect(onlyPolicyDerived([{ path: "rates", before: 1, after: 2 }])).toBe(false);
    expect(onlyPolicyDerived([])).toBe(false);
  });
});
