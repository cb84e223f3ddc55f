import { describe, expect, it } from "vitest";
import { parseCopyLine } from "./copy-text";

describe("parseCopyLine", () => {
  it("splits on tabs and reads \\N as null", () => {
    expect(parseCopyLine("a\t\\N\t\t2026-11-26 00:00:00.5+00")).toEqual(["a", null, "", "2026-11-26 00:00:00.5+00"]);
  });
  it("undoes COPY's backslash escapes", () => {
    expect(parseCopyLine("x\\ty\tback\\\\slash\tnew\\nline\t\\101\\x42")).toEqual(["x\ty", "back\\slash", "new\nline", "AB"]);
  });
  it("keeps a literal \\N inside a longer field", () => {
    expect(parseCopyLine("a\\\\N")).toEqual(["a\\N"]);
  });

  it("stops after `limit` fields", () => {
    expect(parseCopyLine("a\tb\\tc\td", 2)).toEqual(["a", "b\tc"]);
  });
});
