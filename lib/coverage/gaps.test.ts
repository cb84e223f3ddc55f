import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY_RULES } from "@/lib/traces/identity-mapping";
import { coverageGaps, isIdentityLike, likelyField, type GapFacts } from "./gaps";
import { sharesOf, ZERO, type CoverageApi } from "./summarise";

const api = (id: string, name: string, c: Partial<typeof ZERO>): CoverageApi => {
  const counts = { ...ZERO, ...c };
  return { id, name, ...counts, shares: sharesOf(counts, true), endpoints: [] };
};
const facts = (over: Partial<GapFacts>): GapFacts => ({
  apis: [], detailedTracing: new Map(), anonymousKeys: { noAlias: 0, noAliasRequests: 0, unknown: 0 },
  anonymousAttributes: new Map(), rules: DEFAULT_IDENTITY_RULES, ...over,
});

describe("coverageGaps", () => {
  it("blames an API's definition when detailed tracing is off, the gateway otherwise", () => {
    const gaps = coverageGaps(facts({
      apis: [api("l", "Ledger API", { requests: 500, traced: 0 }), api("o", "Orders API", { requests: 100, traced: 50, backendSpans: 50 }), api("c", "Catalog API", { requests: 100, traced: 100, backendSpans: 100 })],
      detailedTracing: new Map([["l", false], ["o", true], ["c", true]]),
    }));
    expect(gaps.map((g) => [g.kind, g.apiId])).toEqual([["tracing_off", "l"], ["no_trace_id", "o"]]);
    expect(gaps[0].cause).toBe("API Ledger API has detailed tracing off in its API definition: 0% of its 500 requests carry a trace id");
    expect(gaps[0].fix).toContain("detailed_tracing: true");
  });

  it("reports traces the backend did not count, keyless requests and keys with no alias", () => {
    const gaps = coverageGaps(facts({
      apis: [api("p", "Public API", { requests: 100, traced: 100, backendSpans: 40, keyless: 100, noIdentity: 100 })],
      anonymousKeys: { noAlias: 3, noAliasRequests: 312, unknown: 1 },
    }));
    expect(gaps.map((g) => g.kind)).toEqual(["key_no_alias", "keyless", "not_held", "key_unknown"]);
    expect(gaps[0].cause).toBe("Key alias empty for 3 keys: 312 requests with no identity");
  });

  it("names a span attribute on anonymous traces that no rule maps, and not one that a rule maps", () => {
    const gaps = coverageGaps(facts({ anonymousAttributes: new Map([["app.user.email", 7], ["enduser.id", 2], ["http.method", 9], ["tyk.api.apikey.alias", 3]]) }));
    expect(gaps.map((g) => g.cause)).toEqual(["Span attribute `app.user.email` present on 7 anonymous traces but not mapped"]);
    const custom = coverageGaps(facts({ rules: [{ attribute: "app.user.email", field: "person_email" }], anonymousAttributes: new Map([["enduser.id", 2]]) }));
    expect(custom.map((g) => g.cause)).toEqual(["Span attribute `enduser.id` present on 2 anonymous traces but not mapped"]);
    expect(custom[0].fix).toBe("Map `enduser.id` to person_email under Traces → identity mappings");
  });

  it("is quiet when everything is covered", () => {
    expect(coverageGaps(facts({ apis: [api("c", "Catalog API", { requests: 100, traced: 100, backendSpans: 100, exemplars: 5, identified: 5 })] }))).toEqual([]);
  });
});

describe("identity-like attributes", () => {
  it.each([["enduser.id", true], ["user.email", true], ["customer_id", true], ["app.client.id", true], ["http.route", false], ["deployment.environment", false], ["net.peer.ip", false]])(
    "%s → %s", (name, like) => expect(isIdentityLike(name)).toBe(like));
  it("suggests a field", () => {
    expect(likelyField("tyk.api.apikey.alias")).toBe("key_alias");
    expect(likelyField("app.client.id")).toBe("service");
    expect(likelyField("enduser.id")).toBe("person_email");
  });
});

describe("detailedTracingOf", () => {
  it("reads a classic definition and an OAS API's extension, the OAS one first", async () => {
    const { detailedTracingOf } = await import("./page");
    expect(detailedTracingOf({ api_definition: { detailed_tracing: false } })).toBe(false);
    expect(detailedTracingOf({ api_definition: { detailed_tracing: false }, oas: { "x-tyk-api-gateway": { server: { detailedTracing: { enabled: true } } } } })).toBe(true);
    expect(detailedTracingOf({ api_definition: {} })).toBeUndefined();
    expect(detailedTracingOf(null)).toBeUndefined();
  });
});
