import { describe, expect, it } from "vitest";
import { relaxationOf } from "./relaxation";
import type { AccessChange } from "./types";

const api = (diff: AccessChange["diff"], extra: Partial<AccessChange> = {}): AccessChange => ({
  id: "a", kind: "api", action: "update", targetId: "api-x", label: "Exports API", actor: null, changedAt: 0, timeSource: "audit", diff, apiIds: ["api-x"], keyHashes: [], ...extra,
});
const ep = { method: "GET", path: "/exports/{id}" };

describe("API-level limits as relaxations", () => {
  it("reads a global_rate_limit removed or raised (rate 0 is none), per from the version when only rate changed", () => {
    expect(relaxationOf(api([{ path: "api_definition.global_rate_limit.rate", before: 7, after: 0 }, { path: "api_definition.global_rate_limit.per", before: 1, after: 0 }]), "api-x", ep))
      .toEqual({ relaxed: ["api_limit"], oldPerMin: 420, newPerMin: undefined, phrase: "the API's rate limit (7/s) was removed" });
    const raised = relaxationOf(api([{ path: "api_definition.global_rate_limit.rate", before: 100, after: 500 }], { limitBefore: { rate: 100, per: 60 }, limitAfter: { rate: 500, per: 60 } }), "api-x", ep);
    expect(raised).toMatchObject({ relaxed: ["api_limit"], phrase: "the API's rate limit rose 100/min → 500/min" });
    expect([raised?.oldPerMin, raised?.newPerMin].map((x) => Math.round(x!))).toEqual([100, 500]);
    expect(relaxationOf(api([{ path: "api_definition.global_rate_limit.rate", before: 500, after: 100 }], { limitBefore: { rate: 500, per: 60 }, limitAfter: { rate: 100, per: 60 } }), "api-x", ep)).toBeNull();
  });

  it("reads disable_rate_limit and Tyk OAS upstream.rateLimit", () => {
    expect(relaxationOf(api([{ path: "api_definition.disable_rate_limit", before: false, after: true }]), "api-x", ep)?.phrase).toBe("rate limiting was disabled for the API");
    expect(relaxationOf(api([{ path: "oas.x-tyk-api-gateway.upstream.rateLimit.enabled", before: true, after: false }]), "api-x", ep)?.relaxed).toEqual(["api_limit"]);
    expect(relaxationOf(api([{ path: "oas.x-tyk-api-gateway.upstream.rateLimit", before: { enabled: true, rate: 10, per: "1s" }, after: { enabled: true, rate: 60, per: "1s" } }]), "api-x", ep))
      .toMatchObject({ oldPerMin: 600, newPerMin: 3600 });
  });

  it("reads this endpoint's classic rate_limit entry removed or raised, and ignores other endpoints' entries", () => {
    const entries = (rate: number, path = "/{id}") => [{ path, method: "GET", enabled: true, rate, per: 1 }];
    const list = "api_definition.version_data.versions.Default.extended_paths.rate_limit";
    expect(relaxationOf(api([{ path: list, before: entries(5), after: [] }]), "api-x", ep)).toMatchObject({ relaxed: ["endpoint_limit"], phrase: "this endpoint's rate limit (5/s) was removed" });
    expect(relaxationOf(api([{ path: list, before: entries(5), after: entries(50) }]), "api-x", ep)?.relaxed).toEqual(["endpoint_limit"]);
    expect(relaxationOf(api([{ path: list, before: entries(5, "/other"), after: [] }]), "api-x", ep)).toBeNull();
    expect(relaxationOf(api([{ path: "api_definition.proxy.target_url", before: "a", after: "b" }]), "api-x", ep)).toBeNull();
  });
});
