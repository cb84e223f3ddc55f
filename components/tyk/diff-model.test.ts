import { describe, expect, it } from "vitest";
import { renderValue, summarizeDiff, toDiffRows } from "./diff-model";

describe("toDiffRows", () => {
  it("puts access-relevant fields first and renders values readably", () => {
    const rows = toDiffRows([
      { path: "tags", before: ["a"], after: ["a", "b"] },
      { path: "rate", before: 100, after: 2000 },
      { path: "name", before: "gold", after: "partner-gold" },
    ]);
    expect(rows.map((r) => r.path)).toEqual(["rate", "name", "tags"]);
    expect(rows[0]).toEqual({ path: "rate", kind: "changed", before: "100", after: "2000", important: true });
    expect(rows[2]).toMatchObject({ before: "a", after: "a, b", important: false });
  });

  it("classifies added and removed leaves", () => {
    const rows = toDiffRows([
      { path: "access_rights.abc", before: null, after: { api_id: "abc" } },
      { path: "meta_data.team", before: "x", after: null },
    ]);
    expect(rows.find((r) => r.path === "access_rights.abc.api_id")).toMatchObject({ kind: "added", before: "—", after: "abc", important: true });
    expect(rows.find((r) => r.path === "meta_data.team")).toMatchObject({ kind: "removed", after: "—" });
  });

  it("breaks object values into one row per changed field, never raw JSON", () => {
    const rows = toDiffRows([
      { path: "access_rights.a1", before: { api_id: "a1", versions: ["Default"], limit: { rate: 100, per: 1 } }, after: { api_id: "a1", versions: ["Default", "v2"], limit: { rate: 2000, per: 1 } } },
      { path: "", before: { name: "x", tags: [] }, after: { name: "y", tags: [] } },
      { path: "meta", before: {}, after: null },
    ]);
    expect(rows.map((r) => [r.path, r.before, r.after])).toEqual([
      ["access_rights.a1.limit.rate", "100", "2000"],
      ["access_rights.a1.versions", "Default", "Default, v2"],
      ["meta", "(empty)", "—"],
      ["name", "x", "y"],
    ]);
    expect(rows.some((r) => /[{}]/.test(r.before + r.after))).toBe(false);
  });

  it("tolerates non-array input and odd entries", () => {
    expect(toDiffRows(null)).toEqual([]);
    expect(toDiffRows([{ nope: 1 }])).toEqual([]);
  });
});

describe("renderValue / summarizeDiff", () => {
  it("truncates long JSON and shows empty strings visibly", () => {
    expect(renderValue("")).toBe('""');
    expect(renderValue({ a: "x".repeat(500) }).endsWith("…")).toBe(true);
  });

  it("summarises the most important changes", () => {
    expect(summarizeDiff([{ path: "rate", before: 100, after: 2000 }])).toBe("rate 100 → 2000");
    expect(summarizeDiff([{ path: "a", before: 1, after: 2 }, { path: "b", before: 1, after: 2 }, { path: "c", before: 1, after: 2 }])).toBe(
      "a 1 → 2; b 1 → 2 (+1 more)",
    );
    expect(summarizeDiff([])).toBeNull();
  });
});

describe("summarizeDiff wording", () => {
  it("names added and removed objects instead of dumping them", () => {
    const text = summarizeDiff([{ path: "access_rights.a1", before: null, after: { api_id: "a1", versions: ["Default"] } }]);
    expect(text).toBe("access_rights.a1 added");
    expect(summarizeDiff([{ path: "tags", before: ["x"], after: null }])).toBe("tags removed");
  });

  it("shortens long values in a changed field", () => {
    const long = "x".repeat(100);
    expect(summarizeDiff([{ path: "name", before: long, after: "short" }])).toBe(`name ${"x".repeat(39)}… → short`);
  });
});
