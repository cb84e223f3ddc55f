import { describe, expect, it } from "vitest";
import { LineSplitter, parseCopyLine } from "./copy-text";

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
});

describe("LineSplitter", () => {
  it("carries partial lines across chunks", () => {
    const s = new LineSplitter();
    expect(s.push("one\ttwo\nthr")).toEqual(["one\ttwo"]);
    expect(s.push("ee\nfour")).toEqual(["three"]);
    expect(s.end()).toEqual(["four"]);
    expect(s.end()).toEqual([]);
  });
});
