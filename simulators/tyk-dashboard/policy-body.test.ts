import { describe, expect, it } from "vitest";
import { decodesAsPolicy } from "./policy-body";

describe("policy bodies the Dashboard decodes", () => {
  it("accepts a policy and refuses a field of the wrong type", () => {
    expect(decodesAsPolicy({ name: "p", rate: 5, per: 60, access_rights: { a: { api_id: "a", versions: ["Default"], limit: { rate: 1, per: 1 } } } })).toBe(true);
    expect(decodesAsPolicy({ name: "p", rate: "5" })).toBe(false);
    expect(decodesAsPolicy({ name: "p", access_rights: { a: { limit: { per: "x" } } } })).toBe(false);
    expect(decodesAsPolicy({ name: "p", tags: [1] })).toBe(false);
    expect(decodesAsPolicy([])).toBe(false);
  });
});
