import { describe, expect, it } from "vitest";
import { csvCell, csvLine, exportResponse } from "./csv";

describe("csvCell", () => {
  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("x\ny")).toBe('"x\ny"');
  });
  it("renders null as empty, dates as ISO, objects as JSON", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-01-01T00:00:00Z"))).toBe("2026-01-01T00:00:00.000Z");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
  it("defuses formulas but leaves negative numbers alone", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-12.5")).toBe("-12.5");
  });
  it("joins a line with CRLF", () => expect(csvLine(["a", 1, null])).toBe("a,1,\r\n"));
});

describe("exportResponse", () => {
  async function* pages() {
    yield [{ n: 1, s: "a" }];
    yield [];
    yield [{ n: 2, s: "b,c" }];
  }
  const columns = [
    { header: "n", value: (r: { n: number }) => r.n },
    { header: "s", value: (r: { s: string }) => r.s },
  ];
  it("streams CSV with a header row", async () => {
    const res = exportResponse({ format: "csv", filename: "x", columns, pages: pages() });
    expect(res.headers.get("content-disposition")).toContain("x.csv");
    expect(await res.text()).toBe('n,s\r\n1,a\r\n2,"b,c"\r\n');
  });
  it("streams a valid JSON array", async () => {
    const res = exportResponse({ format: "json", filename: "x", columns, pages: pages() });
    expect(JSON.parse(await res.text())).toEqual([{ n: 1, s: "a" }, { n: 2, s: "b,c" }]);
  });
});
