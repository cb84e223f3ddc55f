import { describe, expect, it } from "vitest";
import { rotationPlanOf, rotationSession } from "./session";

const old = {
  alias: "billing-worker", apply_policies: ["pol-a", "pol-b"], meta_data: { service: "billing-worker", team: "billing" },
  tags: ["team-billing"], expires: 0, rate: 100, per: 1, quota_max: 5000, quota_remaining: 12, quota_renews: 1_700_000_000,
  access_rights: { "api-1": { api_id: "api-1", versions: ["Default"], allowed_urls: [] } }, last_updated: "1700000000",
  date_created: "2026-01-01T00:00:00Z", hmac_string: "s3cret", jwt_data: { secret: "jwt" }, basic_auth_data: { user: "u", password: "p" },
  oauth_keys: { a: "b" }, key_id: "", allowance: 3, last_check: 9, org_id: "org1", is_inactive: false,
};

describe("rotationSession", () => {
  it("copies policies, alias, meta_data, tags, rights, limits and expiry; drops counters, timestamps and the old key's secrets", () => {
    const s = rotationSession(old as never);
    expect(s).toMatchObject({
      alias: "billing-worker", apply_policies: ["pol-a", "pol-b"], meta_data: { service: "billing-worker", team: "billing" },
      tags: ["team-billing"], expires: 0, rate: 100, per: 1, quota_max: 5000, quota_remaining: 5000, org_id: "org1",
      access_rights: old.access_rights, is_inactive: false,
    });
    for (const gone of ["last_updated", "date_created", "hmac_string", "jwt_data", "basic_auth_data", "oauth_keys", "key_id", "allowance", "last_check", "quota_renews"]) {
      expect(s, gone).not.toHaveProperty(gone);
    }
    // The identity rule reads exactly these: the new key maps to the same identity.
    expect({ alias: s.alias, meta_data: s.meta_data, tags: s.tags }).toEqual({ alias: old.alias, meta_data: old.meta_data, tags: old.tags });
  });
});

describe("rotationPlanOf", () => {
  it("summarises what will be copied from a stored snapshot", () => {
    expect(rotationPlanOf(old)).toEqual({ alias: "billing-worker", policyIds: ["pol-a", "pol-b"], metaDataKeys: ["service", "team"], tags: ["team-billing"], expires: null });
    expect(rotationPlanOf(null)).toEqual({ alias: null, policyIds: [], metaDataKeys: [], tags: [], expires: null });
  });
});
