import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { asCellTable, cellTableOf, cellsOfTable, mapCallers, withCallers } from "./cell-table";
import type { TrafficCell } from "./types";

const M = 60_000;
// Callers: a tuple per caller id (as request_callers stores them), or none (cells built from requests).
const callers = [
  { callerId: 1, keyHash: "k1", identityId: "alice", oauthClientId: null, policyIds: ["p1", "p2"] },
  { callerId: 2, keyHash: "k2", identityId: null, oauthClientId: "app", policyIds: [] },
  { callerId: 3, keyHash: null, identityId: null, oauthClientId: null, policyIds: ["p2"] },
];
const cellArb = fc.record({
  who: fc.integer({ min: 0, max: 3 }), minute: fc.integer({ min: 0, max: 30 }), rejected: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  bins: fc.uniqueArray(fc.integer({ min: 0, max: 349 }), { maxLength: 4 }).map((b) => b.sort((x, y) => x - y)), errors: fc.integer({ min: 0, max: 2 }),
}).map(({ who, minute, rejected, bins, errors }): TrafficCell => {
  const binCounts = bins.map((b) => 1 + (b % 3));
  const tuple = who < 3 ? callers[who] : { keyHash: `anon-${minute % 3}`, identityId: null, oauthClientId: null, policyIds: ["p1"] };
  return { minute: minute * M, ...tuple, count: binCounts.reduce((s, c) => s + c, 0), errors, ...(rejected != null ? { rejected } : {}), bins, binCounts };
});

describe("cell tables", () => {
  it("hold the cells they were made of, in order (rejected 0 when absent)", () => {
    fc.assert(fc.property(fc.array(cellArb, { maxLength: 40 }), (cells) => {
      const back = cellsOfTable(cellTableOf(cells));
      expect(back).toEqual(cells.map((c) => ({ ...c, rejected: c.rejected ?? 0 })));
    }));
  });

  it("store a caller id's tuple once, and one caller per cell without an id", () => {
    const cells: TrafficCell[] = [
      { minute: 0, ...callers[0], count: 1, errors: 0, bins: [3], binCounts: [1] },
      { minute: M, ...callers[0], count: 1, errors: 0, bins: [4], binCounts: [1] },
      { minute: 0, keyHash: "x", identityId: null, oauthClientId: null, policyIds: [], count: 1, errors: 0, bins: [3], binCounts: [1] },
      { minute: M, keyHash: "x", identityId: null, oauthClientId: null, policyIds: [], count: 1, errors: 0, bins: [3], binCounts: [1] },
    ];
    const t = cellTableOf(cells);
    expect(t.callers).toHaveLength(3);
    expect([...t.caller]).toEqual([0, 0, 1, 2]);
  });

  it("withCallers keeps the table when no caller changes, and rewrites every cell of a changed one", () => {
    const t = cellTableOf([{ minute: 0, ...callers[1], count: 1, errors: 0, bins: [3], binCounts: [1] }, { minute: M, ...callers[1], count: 2, errors: 0, bins: [3], binCounts: [2] }]);
    expect(withCallers(t, (c) => c)).toBe(t);
    const renamed = withCallers(t, (c) => ({ ...c, keyHash: "k9" }));
    expect(cellsOfTable(renamed).map((c) => c.keyHash)).toEqual(["k9", "k9"]);
    expect(cellsOfTable(t).map((c) => c.keyHash)).toEqual(["k2", "k2"]);
  });

  it("mapCallers gives the same cells from objects as from their table; asCellTable makes a table only of objects", () => {
    fc.assert(fc.property(fc.array(cellArb, { maxLength: 30 }), (cells) => {
      const f = <C extends { keyHash: string | null }>(c: C): C => (c.keyHash === "k1" ? { ...c, keyHash: "k7" } : c);
      const t = cellTableOf(cells);
      expect(cellsOfTable(mapCallers(t, f))).toEqual(cellsOfTable(cellTableOf(mapCallers(cells, f))));
      expect(asCellTable(t)).toBe(t);
      expect(cellsOfTable(asCellTable(cells))).toEqual(cellsOfTable(t));
    }));
  });
});
