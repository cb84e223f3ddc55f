import { describe, expect, it } from "vitest";
import {
  apiKeysSchema, apisListSchema, auditLogsSchema, auditRecordTime, keysDetailedSchema, oauthAppsSchema, parseTykDate,
  policiesListSchema, policyId, usersListSchema,
} from "./schema";

// Fixtures shaped like the examples in tyk-docs swagger/dashboard-swagger.yml (5.13).
describe("Dashboard response schemas", () => {
  it("policies: Data/Pages, empty id with _id, string last_updated, float int64s, extra fields kept", () => {
    const res = policiesListSchema.parse({
      Data: [{
        _id: "363635373039383964393864643030303031646131376631", id: "", name: "Sample policy", rate: 1000, per: 60,
        quota_max: 10000, key_expires_in: 2.592e6, last_updated: "1716980105", tags: ["security"], active: true,
        access_rights: { "8ddd91f3cda9453442c477b06c4e2da4": { api_id: "8ddd91f3cda9453442c477b06c4e2da4", api_name: "Itachi API", versions: ["Default"], allowed_urls: [{ url: "/users", methods: ["GET"] }] } },
        partitions: { acl: true },
      }],
      Pages: 1,
    });
    expect(policyId(res.Data[0])).toBe("363635373039383964393864643030303031646131376631");
    expect((res.Data[0] as Record<string, unknown>).partitions).toEqual({ acl: true });
  });

  it("policies: null lists become []", () => {
    const res = policiesListSchema.parse({ Data: [{ _id: "a", name: "n", tags: null, access_rights: null }], Pages: 1 });
    expect(res.Data[0].tags).toEqual([]);
    expect(policiesListSchema.parse({ Data: null, Pages: 0 }).Data).toEqual([]);
  });

  it("a missing list field is drift, not an empty list", () => {
    const r = policiesListSchema.safeParse({ Data_renamed: [], Pages: 1 });
    expect(r.success).toBe(false);
    expect(apisListSchema.safeParse({ pages: 1 }).success).toBe(false);
  });

  it("policies: a policy with no id at all is rejected", () => {
    expect(policiesListSchema.safeParse({ Data: [{ id: "", name: "x" }] }).success).toBe(false);
  });

  it("apis: apis/pages envelope with api_definition and listen path", () => {
    const res = apisListSchema.parse({
      apis: [{ api_definition: { api_id: "b84f", name: "Tyk Test API", org_id: "o", proxy: { listen_path: "/tyk-api-test/", target_url: "https://httpbin.org" }, version_data: { not_versioned: true, versions: { Default: { name: "Default" } } }, use_oauth2: true } }],
      pages: 1,
    });
    expect(res.apis[0].api_definition.proxy.listen_path).toBe("/tyk-api-test/");
    expect(apisListSchema.safeParse({ apis: [{ api_definition: { api_id: "x", name: "n", proxy: {} } }] }).success).toBe(false);
  });

  it("keys: detailed envelope with SessionState quirks (null apply_policies, float expires)", () => {
    const res = keysDetailedSchema.parse({
      keys: [{ key_id: "5e9d9544a1dcd60001d0ed20e7f75f9e03534825b7aef9df749582e5", key_hash: "41c5cb1e", data: { alias: "portal-developer@example.org", apply_policies: null, expires: 1.716895221e9, last_updated: "1715681746", tags: null, meta_data: { tyk_developer_id: "62b3" } } }],
      pages: 1,
    });
    expect(res.keys[0].data.apply_policies).toEqual([]);
    expect(res.keys[0].data.expires).toBe(1716895221);
  });

  it("keys of one API: data.keys", () => {
    expect(apiKeysSchema.parse({ data: { keys: ["a", "b"] }, pages: 1 }).data.keys).toEqual(["a", "b"]);
    expect(apiKeysSchema.parse({ data: { keys: null }, pages: 0 }).data.keys).toEqual([]);
  });

  it("users and oauth apps envelopes", () => {
    expect(usersListSchema.parse({ users: [{ id: "u1", email_address: "ada@acme.test", first_name: "Ada", last_name: "Admin", user_permissions: {} }], pages: 1 }).users).toHaveLength(1);
    expect(oauthAppsSchema.parse({ apps: [{ client_id: "c1", secret: "s", policy_id: "p" }], pages: 1 }).apps[0].client_id).toBe("c1");
  });

  it("audit logs: nullable list, Go-style dates with a bare hour offset", () => {
    const res = auditLogsSchema.parse({
      pages: 1,
      audit_logs: [{ _id: "672a83e2", req_id: "r", org_id: "o", date: "Tue, 05 Nov 2024 17:45:22 -03", timestamp: 1730839522, ip: "127.0.0.1", user: "jhon@mail.com", action: "", method: "GET", url: "/api/audit-logs", status: 200 }],
    });
    expect(auditRecordTime(res.audit_logs[0]).toISOString()).toBe("2024-11-05T20:45:22.000Z");
    expect(auditRecordTime({ date: "Tue, 05 Nov 2024 17:45:22 -03", timestamp: null }).toISOString()).toBe("2024-11-05T20:45:22.000Z");
    expect(parseTykDate("Tue, 05 Nov 2024 17:45:22 +0100")).toBe(Date.parse("2024-11-05T16:45:22Z"));
    expect(auditLogsSchema.parse({ pages: 0, audit_logs: null }).audit_logs).toEqual([]);
  });
});
