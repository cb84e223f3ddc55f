import { describe, expect, it } from "vitest";
import type { CallerRow } from "@/lib/sync/analytics/callers";
import { cellsOfTable } from "@/lib/analysis/cell-table";
import { cellsOfCallerBins, evenSplit, REJECTED_BIN, tableOfCallerBins } from "./load-traffic";

const caller = (id: number, key: string | null, policies: string[] = []): CallerRow => ({ id, key_hash: key, identity_id: null, oauth_client_id: null, policy_ids: policies });
const callers = new Map([caller(1, "k1", ["a", "b"]), caller(2, "k2"), caller(3, null), caller(4, "")].map((c) => [c.id, c]));
const row = (minute: number, callerId: number, bin: number, n: number, e = 0) => [minute / 60_000, callerId, bin, n, e];
const rows = (...r: number[][]) => Float64Array.from(r.flat());

describe("cellsOfCallerBins", () => {
  it("folds (minute, caller, bin) rows into cells with their bins ascending", () => {
    const cells = cellsOfCallerBins(rows(
      row(60_000, 1, 30, 2, 1), row(60_000, 2, 5, 1), row(60_000, 1, 12, 3),
      row(120_000, 1, 7, 1), row(60_000, 1, 20, 1),
    ), callers, 60_000);
    expect(cells).toEqual([
      { minute: 60_000, callerId: 1, keyHash: "k1", identityId: null, oauthClientId: null, policyIds: ["a", "b"], count: 6, errors: 1, rejected: 0, bins: [12, 20, 30], binCounts: [3, 1, 2] },
      { minute: 60_000, callerId: 2, keyHash: "k2", identityId: null, oauthClientId: null, policyIds: [], count: 1, errors: 0, rejected: 0, bins: [5], binCounts: [1] },
      { minute: 120_000, callerId: 1, keyHash: "k1", identityId: null, oauthClientId: null, policyIds: ["a", "b"], count: 1, errors: 0, rejected: 0, bins: [7], binCounts: [1] },
    ]);
  });

  it("keeps callers and minutes apart (a window need not start on a minute) and tells a missing key from an empty one", () => {
    const cells = cellsOfCallerBins(rows(row(60_000, 3, 1, 1), row(60_000, 4, 1, 1), row(120_000, 3, 2, 1), row(60_000, 3, 4, 2)), callers, 30_000);
    expect(cells.map((c) => [c.minute, c.keyHash, c.count])).toEqual([[60_000, null, 3], [60_000, "", 1], [120_000, null, 1]]);
  });

  it("counts requests Tyk rejected (the rejected bin) apart from the served ones' histogram", () => {
    const cells = cellsOfCallerBins(rows(row(60_000, 2, REJECTED_BIN, 7), row(60_000, 2, 9, 2), row(120_000, 2, REJECTED_BIN, 3)), callers, 60_000);
    expect(cells.map((c) => [c.minute, c.count, c.rejected, c.bins])).toEqual([[60_000, 2, 7, [9]], [120_000, 0, 3, []]]);
  });

  it("keeps thousands of callers' cells apart over a long window (cell keys past the small-integer range)", () => {
    const many = new Map(Array.from({ length: 3000 }, (_, i) => caller(100_000 + i * 7919, `k${i}`)).map((c) => [c.id, c]));
    const ids = [...many.keys()];
    // Every caller in minute 0 and in the window's 2,000th minute, one bin each, then a second bin in minute 0.
    const input = rows(...ids.map((id) => row(0, id, 3, 1)), ...ids.map((id) => row(2000 * 60_000, id, 4, 2)), ...ids.map((id) => row(0, id, 9, 5)));
    const cells = cellsOfCallerBins(input, many, 0);
    expect(cells).toHaveLength(6000);
    expect(cells.slice(0, 3000).every((c, i) => c.minute === 0 && c.callerId === ids[i] && c.count === 6 && c.bins.join() === "3,9")).toBe(true);
    expect(cells.slice(3000).every((c, i) => c.minute === 2000 * 60_000 && c.keyHash === `k${i}` && c.count === 2)).toBe(true);
  });

  it("reads the parts in order as one window, and keeps only the callers asked for", () => {
    const first = rows(row(60_000, 1, 3, 1), row(60_000, 2, 4, 1)), second = rows(row(120_000, 2, 5, 1), row(120_000, 1, 6, 2), row(120_000, 3, 2, 1));
    const all = cellsOfTable(tableOfCallerBins([first, second], callers, 60_000, 180_000));
    expect(all.map((c) => [c.minute, c.callerId, c.bins])).toEqual([[60_000, 1, [3]], [60_000, 2, [4]], [120_000, 2, [5]], [120_000, 1, [6]], [120_000, 3, [2]]]);
    const kept = tableOfCallerBins([first, second], callers, 60_000, 180_000, new Set([2, 3]));
    expect(kept.callers.map((c) => c.callerId)).toEqual([2, 3]);
    expect(cellsOfTable(kept).map((c) => [c.minute, c.callerId, c.count])).toEqual([[60_000, 2, 1], [120_000, 2, 1], [120_000, 3, 1]]);
  });

  it("adds up rows of the same (minute, caller, bin) and of the same cell's rejections, wherever they come", () => {
    const first = rows(row(60_000, 1, 12, 2, 1), row(60_000, 1, REJECTED_BIN, 3), row(60_000, 2, 5, 1), row(60_000, 1, 30, 1));
    const second = rows(row(60_000, 1, 12, 4), row(60_000, 1, 7, 1), row(60_000, 1, REJECTED_BIN, 2), row(60_000, 1, 30, 5, 5));
    const table = tableOfCallerBins([first, second], callers, 60_000, 120_000);
    expect(cellsOfTable(table)).toEqual([
      { minute: 60_000, callerId: 1, keyHash: "k1", identityId: null, oauthClientId: null, policyIds: ["a", "b"], count: 13, errors: 6, rejected: 5, bins: [7, 12, 30], binCounts: [1, 6, 6] },
      { minute: 60_000, callerId: 2, keyHash: "k2", identityId: null, oauthClientId: null, policyIds: [], count: 1, errors: 0, rejected: 0, bins: [5], binCounts: [1] },
    ]);
    // Each cell's bins stay contiguous after the merge: no gap is left where a repeated bin was.
    expect(Array.from(table.binStart)).toEqual([0, 3, 4]);
    expect(table.bin.length).toBe(4);
  });

  it("gives the table of ungrouped rows that grouping them first gives", () => {
    // 400 random rows over 3 callers, 4 minutes and 6 bins (many repeats), against the same rows summed per key first.
    let seed = 7;
    const rnd = (k: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % k; };
    const raw = Array.from({ length: 400 }, () => {
      const bin = rnd(7) - 1, n = 1 + rnd(5);
      return row(60_000 * (1 + rnd(4)), 1 + rnd(3), bin === 0 ? REJECTED_BIN : bin, n, rnd(2) ? n : 0);
    });
    const summed = new Map<string, number[]>();
    for (const r of raw) {
      const k = r.slice(0, 3).join();
      const s = summed.get(k);
      if (s) { s[3] += r[3]; s[4] += r[4]; } else summed.set(k, [...r]);
    }
    const norm = (t: ReturnType<typeof tableOfCallerBins>) => cellsOfTable(t).map((c) => JSON.stringify(c)).sort();
    expect(norm(tableOfCallerBins([rows(...raw)], callers, 60_000, 300_000))).toEqual(norm(tableOfCallerBins([rows(...summed.values())], callers, 60_000, 300_000)));
  });

  it("fails loudly on a caller id it has no tuple for", () => {
    expect(() => cellsOfCallerBins(rows(row(0, 99, 1, 1)), callers, 0)).toThrow(/no caller 99/);
  });
});

describe("evenSplit", () => {
  const M = 60_000;
  const pts = (counts: number[], from = 0) => counts.map((count, i) => ({ ts: from + i * M, count }));

  it("splits where half of the window's requests are behind", () => {
    // 10 minutes of 1 request, then 5 minutes of 10: half of 60 is reached in the second busy minute.
    expect(evenSplit(pts([...Array(10).fill(1), ...Array(5).fill(10)]), 0, 15 * M)).toBe(12 * M);
  });

  it("counts only the window's minutes and falls back to the middle without counts", () => {
    expect(evenSplit(pts([100, 1, 1, 1, 1]), M, 5 * M)).toBe(3 * M);
    expect(evenSplit([], 0, 10 * M)).toBe(5 * M);
    expect(evenSplit(pts([0, 0, 0, 0]), 0, 4 * M)).toBe(2 * M);
  });
});
