import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const ORIGIN = "http://localhost:3000";
const safe = (v: string | undefined) => safeCallbackPath(v, ORIGIN);

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safe("/incidents/abc?tab=notes")).toBe("/incidents/abc?tab=notes");
    expect(safe("http://localhost:3000/keys?x=1")).toBe("/keys?x=1");
  });

  it("refuses open redirects and loops", () => {
    for (const evil of ["//evil.example/x", "/\\evil.example", "/\t/evil.example/x", "/\n/evil.example", " //evil.example", "/.//evil.example",
      "javascript:alert(1)", "http://evil.example/x", "https://localhost:3000/x", "http://localhost:3001/x", "/signin?callbackUrl=/x", "data:text/html,x"]) {
      expect(safe(evil), JSON.stringify(evil)).toBe("/endpoints");
    }
    expect(safe(undefined)).toBe("/endpoints");
  });

  // Strings made of what open redirects are made of; whatever comes out, a browser following it
  // (which drops tabs and newlines and reads "\" as "/") stays on the console's origin.
  const piece = fc.constantFrom("/", "//", "\\", "\t", "\n", "\r", " ", "%09", "%2F", "%5C", ".", "..", "evil.example", "@", ":", "http:", "https:",
    "javascript:", "localhost:3000", "?", "#", "x", "signin", "\u0000", "\u00a0", "\u2028", "\ufeff", ";");
  const candidate = fc.oneof(fc.array(piece, { maxLength: 8 }).map((p) => p.join("")), fc.string({ maxLength: 40 }), fc.webUrl(), fc.webPath());

  it("never leaves the origin, however the callback is built (property)", () => {
    fc.assert(
      fc.property(candidate, (value) => {
        const out = safe(value);
        const browserReads = out.replace(/[\t\n\r]/g, "").replace(/\\/g, "/");
        expect(new URL(browserReads, ORIGIN).origin).toBe(ORIGIN);
        expect(out.startsWith("/") && !out.startsWith("//")).toBe(true);
        expect(out).not.toMatch(/[\u0000-\u0020\\]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps ordinary paths as they are (property)", () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.option(segment, { nil: undefined }), (segs, q) => {
        const path = `/${segs.join("/")}${q ? `?q=${q}` : ""}`;
        fc.pre(segs[0] !== "signin");
        expect(safe(path)).toBe(path);
      }),
    );
  });
});
