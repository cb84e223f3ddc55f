import { describe, expect, it } from "vitest";
import { identityForKey } from "@/lib/sync/tyk/identity-rule";
import { apiVersions, temporaryKeySession } from "./key-session";

const base = { requestId: "req1", requesterEmail: "rui@acme.test", requesterName: "Rui Responder", expiresAt: new Date("2026-12-07T10:00:00Z"), ratePerMinute: 600 };

describe("temporaryKeySession", () => {
  it("a policy request: the policy, the expiry in epoch seconds, and the requester as the key's identity", () => {
    const s = temporaryKeySession({ ...base, policyId: "pol-ro", apis: [] });
    expect(s).toMatchObject({ alias: "rui@acme.test", apply_policies: ["pol-ro"], expires: 1796637600, meta_data: { email: "rui@acme.test", name: "Rui Responder", touchline_access_request: "req1" } });
    expect(s).not.toHaveProperty("access_rights");
    expect(identityForKey(s as never)).toMatchObject({ kind: "person", externalId: "rui@acme.test", name: "Rui Responder" });
  });

  it("a request by APIs: access rights to each with its versions, and the configured rate limit", () => {
    const s = temporaryKeySession({ ...base, policyId: null, apis: [{ id: "api-1", name: "Orders API", versions: ["Default"] }, { id: "api-2", name: "Users", versions: [] }] });
    expect(s.apply_policies).toEqual([]);
    expect(s.access_rights).toEqual({
      "api-1": { api_id: "api-1", api_name: "Orders API", versions: ["Default"], allowed_urls: [] },
      "api-2": { api_id: "api-2", api_name: "Users", versions: ["Default"], allowed_urls: [] },
    });
    expect(s).toMatchObject({ rate: 600, per: 60, quota_max: -1 });
  });
});

describe("apiVersions", () => {
  it("reads version names from a stored definition", () => {
    expect(apiVersions({ api_definition: { version_data: { versions: { v1: {}, v2: {} } } } })).toEqual(["v1", "v2"]);
    expect(apiVersions({ version_data: { versions: { Default: {} } } })).toEqual(["Default"]);
    expect(apiVersions(null)).toEqual(["Default"]);
  });
});
