import { describe, expect, it } from "vitest";
import { previewRows, scalarAttributes, type PreviewSpan } from "./traces-preview";

const hash = "0123456789abcdef0123456789abcdef";
const span = (spanId: string, attributes: PreviewSpan["attributes"]): PreviewSpan => ({ spanId, traceId: `t-${spanId}`, ts: 1, endpoint: "GET /orders", attributes });
const spans = [
  span("a", { "tyk.api.apikey": hash, "tyk.api.apikey.alias": "globex-batch", "enduser.id": "Bob@Globex.test" }),
  span("b", { "service.caller": "billing-worker", "team.name": "billing" }),
  span("c", { "http.method": "GET" }),
];

describe("previewRows", () => {
  it("maps each span with the given rules and keeps unmapped spans visible", () => {
    const rows = previewRows(spans, [
      { attribute: "tyk.api.apikey.alias", field: "key_alias", priority: 1 },
      { attribute: "service.caller", field: "service", priority: 2 },
      { attribute: "team.name", field: "team", priority: 3 },
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ spanId: "a", mapped: true, fields: { key_alias: "globex-batch" }, matched: [{ attribute: "tyk.api.apikey.alias", value: "globex-batch" }] });
    expect(rows[1]).toMatchObject({ mapped: true, fields: { service: "billing-worker", team: "billing" } });
    expect(rows[2]).toMatchObject({ spanId: "c", mapped: false, fields: {}, matched: [] });
  });

  it("changes as the rules change: a rule removed un-maps the spans it alone mapped", () => {
    const rows = previewRows(spans, [{ attribute: "enduser.id", field: "person_email", priority: 1 }]);
    expect(rows.map((r) => r.mapped)).toEqual([true, false, false]);
    expect(rows[0].fields).toEqual({ person_email: "bob@globex.test" });
  });

  it("falls back to the default rules when there are none, and shortens key hashes", () => {
    const rows = previewRows(spans, []);
    expect(rows[0].fields).toMatchObject({ key_hash: "01234567…", key_alias: "globex-batch" });
    expect(JSON.stringify(rows)).not.toContain(hash);
    expect(rows[0].matched.map((m) => m.attribute)).toContain("tyk.api.apikey");
  });
});

describe("scalarAttributes", () => {
  it("keeps scalars only", () => {
    expect(scalarAttributes({ a: "x", b: 2, c: true, d: { e: 1 }, f: null })).toEqual({ a: "x", b: 2, c: true });
    expect(scalarAttributes(null)).toEqual({});
    expect(scalarAttributes([1])).toEqual({});
  });
});
