import { describe, expect, it } from "vitest";
import { readLimit, writeLimit } from "./policy-limit";

const policy = {
  _id: "p1", name: "partner-silver", rate: 50, per: 1, partitions: { quota: false, rate_limit: false, per_api: false },
  access_rights: { a: { api_id: "a", versions: ["Default"], limit: { rate: 0, per: 0, quota_max: -1 } }, b: { api_id: "b", versions: ["Default"] } },
};

describe("policy limit fields", () => {
  it("a policy-wide limit writes rate/per only, and the values read back restore it", () => {
    const before = readLimit(policy, "policy", null);
    const after = writeLimit(policy, { scope: "policy", apiId: null, rate: 10, per: 60 });
    expect(after).toEqual({ ...policy, rate: 10, per: 60 });
    expect(writeLimit(after, before)).toEqual(policy);
  });

  it("a per-API limit sets access_rights[api].limit and per_api, and rolling back restores both exactly", () => {
    const before = readLimit(policy, "api", "a");
    expect(before).toEqual({ scope: "api", apiId: "a", rate: 0, per: 0, perApi: false });
    const after = writeLimit(policy, { scope: "api", apiId: "a", rate: 49, per: 1 });
    expect(after.access_rights).toEqual({ ...policy.access_rights, a: { ...policy.access_rights.a, limit: { rate: 49, per: 1, quota_max: -1 } } });
    expect(after.partitions).toEqual({ quota: false, rate_limit: false, per_api: true });
    expect(writeLimit(after, before)).toEqual(policy);
  });

  it("an API without a limit of its own gets it removed again on rollback", () => {
    const before = readLimit(policy, "api", "b");
    const after = writeLimit(policy, { scope: "api", apiId: "b", rate: 5, per: 1 });
    expect(writeLimit(after, before)).toEqual(policy);
  });

  it("quota and throttle are written where the limit is (policy or per-API) and rollback restores them exactly, absent ones removed", () => {
    const extras = { quotaMax: 1500, quotaRenewalRate: 86_400, throttleInterval: 5, throttleRetryLimit: 12 };
    const target = { scope: "policy" as const, apiId: null, rate: 10, per: 60, ...extras };
    const before = readLimit(policy, "policy", null, target);
    expect(before).toEqual({ scope: "policy", apiId: null, rate: 50, per: 1, quotaMax: null, quotaRenewalRate: null, throttleInterval: null, throttleRetryLimit: null });
    const after = writeLimit(policy, target);
    expect(after).toEqual({ ...policy, rate: 10, per: 60, quota_max: 1500, quota_renewal_rate: 86_400, throttle_interval: 5, throttle_retry_limit: 12 });
    expect(writeLimit(after, before)).toEqual(policy);

    const api = { scope: "api" as const, apiId: "a", rate: 49, per: 1, quotaMax: 1500, quotaRenewalRate: 3600 };
    const apiBefore = readLimit(policy, "api", "a", api);
    expect(apiBefore).toMatchObject({ quotaMax: -1, quotaRenewalRate: null });
    expect(apiBefore).not.toHaveProperty("throttleInterval");
    const apiAfter = writeLimit(policy, api);
    expect((apiAfter.access_rights as Record<string, { limit: unknown }>).a.limit).toEqual({ rate: 49, per: 1, quota_max: 1500, quota_renewal_rate: 3600 });
    expect(writeLimit(apiAfter, apiBefore)).toEqual(policy);
  });
});
