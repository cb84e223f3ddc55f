import { describe, expect, it } from "vitest";
import { deriveTemplate } from "./derive-template";

describe("deriveTemplate", () => {
  it("collapses ids, UUIDs, hex ids, tokens and dated or prefixed numbers to {id}", () => {
    expect(deriveTemplate("/catalog/items/48213")).toBe("/catalog/items/{id}");
    expect(deriveTemplate("/orders/3f2b1c9e-2a4d-4b8e-9c1a-0d6f5e4b3a21/lines/7")).toBe("/orders/{id}/lines/{id}");
    expect(deriveTemplate("/users/65a1f0c2e4b0a1b2c3d4e5f6")).toBe("/users/{id}");
    expect(deriveTemplate("/sessions/tok_8f3kd92mzq7x1b4c")).toBe("/sessions/{id}");
    expect(deriveTemplate("/orders/ORD-20931")).toBe("/orders/{id}");
    expect(deriveTemplate("/reports/2026-11-19")).toBe("/reports/{id}");
  });

  it("keeps words, versions and short codes, and drops the query and extra slashes", () => {
    expect(deriveTemplate("/v2/catalog/search?q=shoes")).toBe("/v2/catalog/search");
    expect(deriveTemplate("//users/me/")).toBe("/users/me");
    expect(deriveTemplate("/oauth2/token")).toBe("/oauth2/token");
    expect(deriveTemplate("/")).toBe("/");
  });
});
