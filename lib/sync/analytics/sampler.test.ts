import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latencyBin } from "@/lib/analysis/histogram";
import { isGatewayRejection } from "@/lib/analysis/rejections";
import { HOLD, RecordSampler, type SamplingPlan } from "./sampler";

interface Row { endpoint: string; minute: number; caller: number; status: number; upstream: number | null; latency: number }

/** Runs rows through a sampler as PumpToRecords does: each written row with its weight, held ones when released. */
function weigh(plan: SamplingPlan, rows: Row[], span = 1): { row: Row; weight: number }[] {
  const s = new RecordSampler(plan, span);
  const out: { row: Row; weight: number }[] = [];
  const held = new Map<string, Row>();
  const emit = (line: Buffer, weight: number) => out.push({ row: held.get(line.toString())!, weight });
  rows.forEach((r, i) => {
    const w = s.weigh(r.endpoint, r.minute, r.caller, r.status, r.upstream, r.latency, emit);
    if (w === HOLD) {
      held.set(String(i), r);
      s.hold(Buffer.from(String(i)));
    } else out.push({ row: r, weight: w });
  });
  s.flush(emit);
  return out;
}

const kind = (r: Row) => (isGatewayRejection(r.status, r.upstream) ? "rejected" : r.status >= 500 ? "error" : "served");
/** The (endpoint, block of `span` minutes, caller, kind) a row counts in. */
const groupOf = (r: Row, span: number) => `${r.endpoint}|${Math.floor(r.minute / (span * 60_000))}|${r.caller}|${kind(r)}`;

function counts(rows: { row: Row; weight: number }[], span: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const { row, weight } of rows) m.set(groupOf(row, span), (m.get(groupOf(row, span)) ?? 0) + weight);
  return m;
}

const TAIL = latencyBin(200);
const PLAN: SamplingPlan = new Map([["hot", { rate: 5, tailBin: TAIL }]]);

const rowArb = fc.record({
  endpoint: fc.constantFrom("hot", "quiet"),
  caller: fc.integer({ min: 1, max: 6 }),
  status: fc.constantFrom(200, 200, 200, 204, 500, 503, 429, 403, 401),
  upstream: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
  latency: fc.integer({ min: 0, max: 400 }),
  step: fc.constantFrom(0, 0, 0, 0, 60_000),
});

describe("RecordSampler", () => {
  it("writes every row once, and the weights of each (endpoint, block, caller, kind) sum to its row count", () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 300 }), fc.constantFrom(1, 3), (gen, span) => {
      let minute = 0;
      const rows: Row[] = gen.map(({ step, ...r }) => ({ ...r, minute: (minute += step) }));
      const out = weigh(PLAN, rows, span);
      expect(out).toHaveLength(rows.length);
      const exact = counts(rows.map((row) => ({ row, weight: 1 })), span);
      const weighted = counts(out, span);
      for (const [g, n] of exact) expect(weighted.get(g)).toBe(n);
      // The hot endpoint's tail stays exact per (minute, caller, kind, latency bin): the investigation's cells.
      const tailOf = (r: Row) => `${r.minute}|${r.caller}|${kind(r)}|${latencyBin(r.latency)}`;
      const isTail = (r: Row) => r.endpoint === "hot" && kind(r) !== "rejected" && latencyBin(r.latency) >= TAIL;
      const tailCounts = (xs: { row: Row; weight: number }[]) => {
        const m = new Map<string, number>();
        for (const { row, weight } of xs) if (isTail(row)) m.set(tailOf(row), (m.get(tailOf(row)) ?? 0) + weight);
        return m;
      };
      expect(tailCounts(out)).toEqual(tailCounts(rows.map((row) => ({ row, weight: 1 }))));
      for (const { row, weight } of out) {
        // The quiet endpoint keeps every row; no row stands for more than a group.
        if (row.endpoint === "quiet") expect(weight).toBe(1);
        expect(weight).toBeLessThanOrEqual(5);
      }
    }), { numRuns: 200 });
  });

  it("keeps one row in `rate` of a busy caller-minute", () => {
    const rows: Row[] = Array.from({ length: 23 }, () => ({ endpoint: "hot", minute: 0, caller: 1, status: 200, upstream: 10, latency: 50 }));
    const out = weigh(PLAN, rows).filter((o) => o.weight > 0).map((o) => o.weight);
    expect(out).toEqual([5, 5, 5, 5, 3]);
  });

  const row = (minute: number, caller: number, latency = 50): Row => ({ endpoint: "hot", minute: minute * 60_000, caller, status: 200, upstream: 10, latency });
  /** `n` rows of caller 9 in each minute: 300 a minute make the rate 5 from the next minute on. */
  const filler = (minute: number, n = 300) => Array.from({ length: n }, () => row(minute, 9));
  const keptOf = (out: { row: Row; weight: number }[], caller: number) =>
    out.filter((o) => o.row.caller === caller && o.weight > 0).map((o) => [o.row.minute / 60_000, o.weight]);

  it("starts new groups in a new block", () => {
    const rows = [...filler(0), row(0, 1), row(0, 1), ...filler(1), row(1, 1), row(1, 1), row(1, 1), ...filler(2), row(2, 1)];
    expect(keptOf(weigh(PLAN, rows, 1), 1)).toEqual([[0, 2], [1, 3], [2, 1]]);
    // Blocks of 2 minutes: minutes 0–1 are one block (5 rows: a full group), minute 2 the next.
    expect(keptOf(weigh(PLAN, rows, 2), 1)).toEqual([[0, 5], [2, 1]]);
  });

  it("takes the rate from the previous minute's rows once it has ended", () => {
    const quiet: SamplingPlan = new Map([["hot", { rate: 0, tailBin: TAIL }]]);
    const caller1 = (minute: number) => Array.from({ length: 25 }, () => row(minute, 1));
    const out = weigh(quiet, [...filler(0, 600), ...caller1(0), ...filler(1, 600), ...caller1(1)]);
    // Minute 0 at the stored rate (under 2 a second): every row whole; minute 1 at 625 / 60 → 10.
    expect(keptOf(out, 1)).toEqual([...Array.from({ length: 25 }, () => [0, 1]), [1, 10], [1, 10], [1, 5]]);
  });

  it("without a stored day, keeps whole the tail of the rows read so far", () => {
    // Minute 0: 2,900 rows at 50 ms, 100 at 300 ms, 20 at 900 ms: p99 falls in 300 ms's bin, so 900 ms is tail and 50 ms is not.
    const minute0 = [...filler(0, 2900), ...Array.from({ length: 100 }, () => row(0, 5, 300)), ...Array.from({ length: 20 }, () => row(0, 2, 900))];
    const out = weigh(new Map(), [...minute0, ...filler(1, 120), row(1, 3, 900), row(1, 3, 900), row(1, 4), row(1, 4)]);
    expect(out.filter((o) => o.row.minute === 0).every((o) => o.weight === 1)).toBe(true);
    // Caller 3's two tail rows share a minute and a bin: one row of weight 2, exact for the investigation's cells.
    expect(keptOf(out, 3)).toEqual([[1, 2]]);
    expect(keptOf(out, 4)).toEqual([[1, 2]]);
  });

  it("groups a caller's tail per minute and latency bin, never across them", () => {
    // Caller 1 floods slow requests in minutes 0 and 1: 7 at 900 ms and 2 at 1,200 ms a minute.
    const slow = (minute: number) => [...Array.from({ length: 7 }, () => row(minute, 1, 900)), row(minute, 1, 1200), row(minute, 1, 1200)];
    const out = weigh(PLAN, [...filler(0), ...slow(0), ...filler(1), ...slow(1)], 10);
    const kept = out.filter((o) => o.row.caller === 1 && o.weight > 0).map((o) => [o.row.minute / 60_000, o.row.latency, o.weight]);
    // Groups of up to the rate (5) per (minute, bin): 900 ms → 5 + 2, 1,200 ms → 2, in each minute.
    expect(kept).toEqual([[0, 900, 5], [0, 900, 2], [0, 1200, 2], [1, 900, 5], [1, 900, 2], [1, 1200, 2]]);
  });
});
