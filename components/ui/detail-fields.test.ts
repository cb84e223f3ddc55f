import { describe, expect, it } from "vitest";
import { detailFields } from "./detail-fields";

describe("detailFields", () => {
  it("turns an audit event's details into labelled fields, never raw JSON", () => {
    const fields = detailFields({
      name: "bot", scopes: ["read", "write"], expiresAt: null, revokedAt: "2027-01-06T13:10:29.100Z",
      diff: [{ path: "rate", before: 100, after: 2000 }],
      request: { method: "POST", query: { limit: 5 } },
    });
    expect(fields).toEqual([
      { label: "name", value: "bot" },
      { label: "scopes", value: "read, write" },
      { label: "expires at", value: "—" },
      { label: "revoked at", value: "2027-01-06 13:10 UTC" },
      { label: "diff: rate", value: "100 → 2000" },
      { label: "request · method", value: "POST" },
      { label: "request · query · limit", value: "5" },
    ]);
    expect(fields.some((f) => /[{}[\]]/.test(f.value))).toBe(false);
  });

  it("gives nothing for empty details and caps long ones with a count", () => {
    expect(detailFields(null)).toEqual([]);
    expect(detailFields({})).toEqual([]);
    const many = detailFields(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i])), 5);
    expect(many).toHaveLength(6);
    expect(many.at(-1)).toEqual({ label: "…", value: "15 more" });
  });
});
