import { describe, expect, it } from "vitest";
import { latencyBin } from "@/lib/analysis/histogram";
import { aggregateTypeHour } from "./type-hours";
import { typeLabel, typesOfCaller } from "./user-types";

describe("typesOfCaller", () => {
  const dir = { kinds: new Map([["idn-bob", "person"], ["idn-batch", "service"]]), groups: new Map([["idn-bob", ["partners", "globex"]]]) };
  it("puts a caller in its policies, its kind, its OAuth client and its person's IdP groups", () => {
    expect(typesOfCaller({ id: 1, identityId: "idn-bob", oauthClientId: "c1", policyIds: ["gold"] }, dir))
      .toEqual(["policy:gold", "kind:person", "oauth:c1", "group:partners", "group:globex"]);
    expect(typesOfCaller({ id: 2, identityId: "idn-batch", oauthClientId: null, policyIds: ["gold", "silver"] }, dir))
      .toEqual(["policy:gold", "policy:silver", "kind:service"]);
    expect(typesOfCaller({ id: 3, identityId: null, oauthClientId: null, policyIds: [] }, dir)).toEqual(["kind:none"]);
  });
  it("labels types for people", () => {
    const names = { policies: new Map([["gold", "partner-gold"]]), oauthClients: new Map<string, string>() };
    expect(typeLabel("policy:gold", names)).toBe("Policy partner-gold");
    expect(typeLabel("kind:none", names)).toBe("No identity");
    expect(typeLabel("oauth:c9", names)).toBe("OAuth client c9");
    expect(typeLabel("group:partners", names)).toBe("IdP group partners");
  });
});

describe("aggregateTypeHour", () => {
  const types = new Map([[1, ["policy:gold", "kind:service"]], [2, ["policy:gold", "kind:person"]], [3, ["kind:none"]]]);
  const rows = aggregateTypeHour(
    [
      { endpoint_id: "e1", callers: [1, 2, 3], caller_requests: [100, 50, 7], caller_errors: [2, 0, 1] },
      { endpoint_id: "e2", callers: [1], caller_requests: [10], caller_errors: [0] },
    ],
    [
      { endpoint_id: "e1", caller_id: 1, bin: latencyBin(40), n: 99 },
      { endpoint_id: "e1", caller_id: 1, bin: latencyBin(900), n: 1 },
      { endpoint_id: "e1", caller_id: 2, bin: latencyBin(400), n: 50 },
      { endpoint_id: "e1", caller_id: 3, bin: latencyBin(10), n: 7 },
    ],
    (id) => types.get(id) ?? [],
  );
  const get = (t: string, e: string) => rows.find((r) => r.userType === t && r.endpointId === e);

  it("sums each caller into every type it belongs to, per endpoint", () => {
    expect(get("policy:gold", "e1")).toMatchObject({ requests: 150, errors: 2 });
    expect(get("kind:service", "e1")).toMatchObject({ requests: 100, errors: 2 });
    expect(get("policy:gold", "e2")).toMatchObject({ requests: 10, errors: 0, p99: null });
    expect(rows).toHaveLength(6);
  });

  it("reads the type's p99 from the pooled latency bins, and none from too few requests", () => {
    expect(get("policy:gold", "e1")!.p99).toBeGreaterThan(380);
    expect(get("policy:gold", "e1")!.p99).toBeLessThan(420);
    expect(get("kind:service", "e1")!.p99).toBeGreaterThan(40);
    expect(get("kind:none", "e1")!.p99).toBeNull(); // 7 served
  });
});
