import { describe, expect, it } from "vitest";
import { mapIdentity } from "./identity-mapping";

const attrs = {
  "tyk.api.apikey": "ABCDEF0123",
  "tyk.api.apikey.alias": "globex-batch",
  "enduser.id": "Ada@Acme.test",
  "team.name": "partners",
  "svc": "globex-batch",
};

describe("mapIdentity", () => {
  it("uses the default rules when none are stored", () => {
    expect(mapIdentity(attrs)).toEqual({ keyHash: "abcdef0123", keyAlias: "globex-batch", email: "ada@acme.test", mapped: true });
  });
  it("applies admin rules in priority order; the first value for a field wins", () => {
    const out = mapIdentity({ a: "first@x.test", b: "second@x.test", svc: "billing" }, [
      { attribute: "b", field: "person_email", priority: 2 },
      { attribute: "a", field: "person_email", priority: 1 },
      { attribute: "svc", field: "service" },
    ]);
    expect(out).toEqual({ email: "first@x.test", service: "billing", mapped: true });
  });
  it("skips empty values and non-emails so a later rule can fill the field", () => {
    const out = mapIdentity({ a: "", b: "not-an-email", c: "vera@acme.test" }, [
      { attribute: "a", field: "person_email", priority: 1 },
      { attribute: "b", field: "person_email", priority: 2 },
      { attribute: "c", field: "person_email", priority: 3 },
    ]);
    expect(out.email).toBe("vera@acme.test");
  });
  it("returns unmapped spans instead of dropping them, and ignores unknown fields", () => {
    expect(mapIdentity({ "http.method": "GET" })).toEqual({ mapped: false });
    expect(mapIdentity({ x: "1" }, [{ attribute: "x", field: "nonsense" }])).toEqual({ mapped: false });
  });
  it("maps team and service", () => {
    expect(mapIdentity(attrs, [{ attribute: "team.name", field: "team" }, { attribute: "svc", field: "service" }])).toEqual({
      team: "partners",
      service: "globex-batch",
      mapped: true,
    });
  });
});
