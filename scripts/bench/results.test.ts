import { describe, expect, it } from "vitest";
import { allPassed, figure, quantile, renderMarkdown, type BenchResults } from "./results";

describe("figure", () => {
  it("passes or fails on the ratio or the value, as the target says", () => {
    expect(figure({ id: "a", label: "a", value: 10, unit: "x", ratio: 0.6, compare: "ratio", target: { op: ">=", bound: 0.5 } }).status).toBe("pass");
    expect(figure({ id: "a", label: "a", value: 10, unit: "x", ratio: 0.4, compare: "ratio", target: { op: ">=", bound: 0.5 } }).status).toBe("fail");
    expect(figure({ id: "b", label: "b", value: 251, unit: "ms", compare: "value", target: { op: "<=", bound: 250 } }).status).toBe("fail");
    expect(figure({ id: "b", label: "b", value: 250, unit: "ms", compare: "value", target: { op: "<=", bound: 250 } }).status).toBe("pass");
  });
  it("is 'not measured' without a number, and then the run does not pass", () => {
    const f = figure({ id: "c", label: "c", value: null, unit: "ms", compare: "value", target: { op: "<=", bound: 1 }, reason: "no browser" });
    expect(f).toMatchObject({ status: "not measured", note: "no browser" });
    expect(allPassed([f])).toBe(false);
    expect(allPassed([])).toBe(false);
  });
});

describe("quantile", () => {
  it("is nearest-rank", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(xs, 0.95)).toBe(95);
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
  });
});

describe("renderMarkdown", () => {
  it("has one row per figure with baseline, ratio, target and verdict", () => {
    const r: BenchResults = {
      startedAt: "s", finishedAt: "f", scale: 1, machine: { cpus: 2, memGiB: 24, node: "v20", postgres: "PostgreSQL 18" },
      dataset: { rows: 10 }, plans: [{ name: "p", text: "Index Scan" }], notes: ["n"], passed: false,
      figures: [figure({ id: "i", label: "Ingest | rate", value: 50_000, unit: "rows/s", baseline: { label: "COPY", value: 200_000, unit: "rows/s" }, ratio: 0.25, compare: "ratio", target: { op: ">=", bound: 0.5 } })],
    };
    const md = renderMarkdown(r);
    expect(md).toContain("| Ingest \\| rate | 50,000 rows/s | COPY: 200,000 rows/s | 0.250× | ratio ≥ 0.500× | ❌ FAIL |");
    expect(md).toContain("**Overall: FAIL**");
    expect(md).toContain("Index Scan");
  });
});
