import { describe, expect, it } from "vitest";
import { formatInvestigation, formatTable, formatTime } from "./format";

describe("formatTable", () => {
  it("aligns columns to their widest cell, right-aligns numbers, shows blanks as —", () => {
    const out = formatTable(
      [{ a: "x", n: 5 }, { a: "longer", n: 123 }, { a: null, n: 0 }],
      [{ header: "name", value: (r) => r.a }, { header: "n", value: (r) => r.n, align: "right" }],
    );
    expect(out.split("\n")).toEqual(["NAME      N", "x         5", "longer  123", "—         0"]);
  });
  it("prints only the header for no rows", () => expect(formatTable([], [{ header: "id", value: () => 1 }])).toBe("ID"));
});

describe("formatInvestigation", () => {
  const inv = {
    endpoint: { method: "GET", path: "/orders", apiName: "Orders API" },
    window: { from: "2026-11-26T08:00:00Z", to: "2026-11-26T10:00:00Z" },
    verdict: { verdict: "explained", summary: "globex-batch's traffic explains the spike" },
    suspects: [
      { rank: 1, kind: "key", label: "globex-batch", actor: null, changedAt: null, share: { point: 0.82 }, qValue: 0.001, identity: { email: "ops@globex.test" } },
      { rank: 2, kind: "access_change", label: "policy partner-gold", actor: "ada@acme.test", changedAt: "2026-11-26T07:55:00Z", share: { point: 0.1 }, qValue: 0.04 },
    ],
  };
  it("prints the endpoint, window, verdict and a ranked suspect table", () => {
    const out = formatInvestigation(inv);
    expect(out).toContain("GET /orders  (Orders API)");
    expect(out).toContain("window  2026-11-26 08:00Z → 2026-11-26 10:00Z");
    expect(out).toContain("verdict explained: globex-batch's traffic explains the spike");
    const rows = out.split("\n").filter((l) => /^\s*\d /.test(l));
    expect(rows[0]).toMatch(/1\s+globex-batch\s+key\s+ops@globex.test\s+—\s+82%\s+0.001/);
    expect(rows[1]).toMatch(/2\s+policy partner-gold\s+access_change\s+ada@acme.test\s+2026-11-26 07:55Z\s+10%/);
  });
  it("says so when nothing is significant", () => expect(formatInvestigation({ ...inv, suspects: [] })).toMatch(/No significant suspects/));
  it("formats times compactly in UTC", () => expect(formatTime("2026-11-26T10:04:59+02:00")).toBe("2026-11-26 08:04Z"));
});
