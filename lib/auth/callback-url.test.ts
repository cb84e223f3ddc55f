import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallbackPath("/incidents/abc?tab=notes")).toBe("/incidents/abc?tab=notes");
    expect(safeCallbackPath("http://localhost:3000/keys?x=1")).toBe("/keys?x=1");
  });
  it("refuses open redirects and loops", () => {
    expect(safeCallbackPath("//evil.example/x")).toBe("/endpoints");
    expect(safeCallbackPath("/\\evil.example")).toBe("/endpoints");
    expect(safeCallbackPath("javascript:alert(1)")).toBe("/endpoints");
    expect(safeCallbackPath("/signin?callbackUrl=/x")).toBe("/endpoints");
    expect(safeCallbackPath(undefined)).toBe("/endpoints");
  });
});
