import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latencyBin } from "@/lib/analysis/histogram";
import { isGatewayRejection } from "@/lib/analysis/rejections";
import { HOLD, RecordSampler, type SamplingPlan } from "./sampler";

interface Row { endpoint: string; minute: number; caller: number; status: number; upstream: number | null; latency: number }

/** Runs rows through a sampler as PumpToRecords does: each written row with its weight, held ones when released. */
function weigh(plan: SamplingPlan, rows: Row[]): { row: Row; weight: number }[] {
  const s = new RecordSampler(plan);
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

const plan = (span: number): SamplingPlan => new Map([["hot", { rate: 5, span, tailBin: latencyBin(200) }]]);
const PLAN = plan(1);

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
      const out = weigh(plan(span), rows);
      expect(out).toHaveLength(rows.length);
      const exact = counts(rows.map((row) => ({ row, weight: 1 })), span);
      const weighted = counts(out, span);
      for (const [g, n] of exact) expect(weighted.get(g)).toBe(n);
      for (const { row, weight } of out) {
        // The quiet endpoint and the hot one's tail keep every row; no row stands for more than a group.
        if (row.endpoint === "quiet" || (kind(row) !== "rejected" && latencyBin(row.latency) >= PLAN.get("hot")!.tailBin)) expect(weight).toBe(1);
        expect(weight).toBeLessThanOrEqual(5);
      }
    }), { numRuns: 200 });
  });

  it("keeps one row in `rate` of a busy caller-minute", () => {
    const rows: Row[] = Array.from({ length: 23 }, () => ({ endpoint: "hot", minute: 0, caller: 1, status: 200, upstream: 10, latency: 50 }));
    const out = weigh(PLAN, rows).filter((o) => o.weight > 0).map((o) => o.weight);
    expect(out).toEqual([5, 5, 5, 5, 3]);
  });

  it("starts new groups in a new block", () => {
    const at = (minute: number): Row => ({ endpoint: "hot", minute, caller: 1, status: 200, upstream: 10, latency: 50 });
    const rows = [at(0), at(0), at(60_000), at(60_000), at(60_000), at(120_000)];
    const kept = (span: number) => weigh(plan(span), rows).filter((o) => o.weight > 0).map((o) => [o.row.minute / 60_000, o.weight]);
    expect(kept(1)).toEqual([[0, 2], [1, 3], [2, 1]]);
    // Blocks of 2 minutes: minutes 0–1 are one block (5 rows: a full group of 5), minute 2 the next.
    expect(kept(2)).toEqual([[0, 5], [2, 1]]);
  });
});
