import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBench } from "@/scripts/bench/main";
import { tierTraffic } from "@/scripts/bench/density";
import type { BenchResults } from "@/scripts/bench/results";

// `npm run bench` at a small scale (200 k records, 2 planted incidents; density tiers of 2 h at 1 and 10 req/s and a
// 2-minute stress) against the integration server: the harness must run every measured phase end to end and report
// every figure with a number and a verdict. No timing is
// asserted — pass/fail of the targets is the full benchmark's business. The page phase (a
// production build) is left to `npm run bench`.
const outs: string[] = [];
afterAll(async () => {
  for (const out of outs) await rm(out, { recursive: true, force: true });
});

async function benchOut(): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), "touchline-bench-smoke-"));
  outs.push(out);
  return out;
}

describe("npm run bench (smoke)", () => {
  it("generates the data set, measures ingest, investigation and sync, and writes both reports", async () => {
    const out = await benchOut();
    const results = await runBench(["--scale", "0.02", "--pairs", "2", "--sync-scale", "0.002", "--trace-samples", "0", "--skip", "density,limits,anomalies,page", "--out", out]);
    const ids = results.figures.map((f) => f.id);
    expect(ids).toEqual([
      "ingest.rate", "investigation.warm.p95", "investigation.warm.vs_floor", "investigation.cold.vs_floor",
      "sync.full", "sync.incremental", "sync.trace_rate", "sync.traces_per_stream.run",
    ]);
    for (const f of results.figures) {
      expect(f.status, `${f.id}: ${f.note ?? ""}`).not.toBe("not measured");
      expect(Number.isFinite(f.value)).toBe(true);
    }
    expect(results.figures.find((f) => f.id === "ingest.rate")?.baseline?.value).toBeGreaterThan(0);
    expect(results.dataset["request records"]).toBe(200_000);
    expect(results.notes.join()).toMatch(/culprit ranked first in 2\b/);
    expect(results.plans.map((p) => p.name).join()).toMatch(/latency_points.*request_records/);
    // The per-stream trace sync read its endpoints (6 at this scale) within the budget and said so.
    expect(results.notes.join()).toMatch(/without the unified query: 6 endpoints, request budget 90 a run \(.*\); every endpoint read once after 1 runs \(/);

    const json = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as BenchResults;
    expect(json.figures).toHaveLength(ids.length);
    const md = await readFile(path.join(out, "results.md"), "utf8");
    for (const f of results.figures) expect(md).toContain(f.label);
    expect(md).toContain("| figure | value | baseline | ratio | target | result |");
  }, 600_000);

  it("measures anomaly detection per sync against its SQL floor (--only anomalies)", async () => {
    const out = await benchOut();
    const results = await runBench(["--only", "anomalies", "--anomaly-endpoints", "10", "--anomaly-types", "4", "--out", out]);
    expect(results.figures.map((f) => f.id)).toEqual(["anomalies.detect.vs_floor"]);
    const [f] = results.figures;
    expect(f.status).not.toBe("not measured");
    expect(f.baseline?.value).toBeGreaterThan(0);
    expect(f.ratio).toBeCloseTo(f.value! / f.baseline!.value, 6);
    expect(f.note).toMatch(/^10 endpoints × 4 user types/);
    expect(results.dataset["anomaly type-hours"]).toBe(10 * 4 * 14 * 24);
    const json = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as BenchResults;
    expect(json.figures.map((x) => x.id)).toEqual(["anomalies.detect.vs_floor"]);
  }, 300_000);

  it("measures the density tiers and the stress, each figure with a number and a verdict", async () => {
    const out = await benchOut();
    const results = await runBench([
      "--only", "density", "--density-hours", "2", "--density-tiers", "1,10", "--density-runs", "1", "--stress-minutes", "2", "--out", out,
    ]);
    const perTier = (t: string) => [
      `density.${t}.ingest`, `density.${t}.sample`,
      ...["gateway", "traced"].flatMap((m) => ["investigation", "list", "series"].map((r) => `density.${t}.${m}.${r}`)),
    ];
    expect(results.figures.map((f) => f.id)).toEqual([
      ...perTier("1rps"), ...perTier("10rps"), "density.gateway.cost", "density.traced.cost", "density.culprit", "density.stress.ingest",
    ]);
    for (const f of results.figures) {
      expect(f.status, `${f.id}: ${f.note ?? ""}`).not.toBe("not measured");
      expect(Number.isFinite(f.value)).toBe(true);
      if (f.compare === "ratio") expect(f.baseline?.value, f.id).toBeGreaterThan(0);
    }
    // The planted culprit is named first at both tiers, with and without trace points.
    expect(results.figures.find((f) => f.id === "density.culprit")).toMatchObject({ value: 4, status: "pass" });
    for (const rate of [1, 10]) {
      const t = tierTraffic(rate, 2);
      expect(results.dataset[`pump rows in the ${rate} req/s tier`]).toBe(t.hotRows + t.backgroundRows + t.incident!.surgeRows);
    }
    expect(results.dataset["pump rows in the stress"]).toBe(120_000);
    expect(results.notes.filter((n) => /^Density \d+ req\/s, /.test(n))).toHaveLength(4);
    expect(results.notes.join()).toMatch(/Density stress: 1,000 req\/s for 2 min/);

    const md = await readFile(path.join(out, "results.md"), "utf8");
    for (const f of results.figures) expect(md).toContain(f.label);
  }, 600_000);

  it("measures capacity + recommendation over the limits tier's 7 days against its SQL floor", async () => {
    const out = await benchOut();
    const results = await runBench(["--only", "limits", "--limits-scale", "0.05", "--density-runs", "1", "--out", out]);
    expect(results.figures.map((f) => f.id)).toEqual(["limits.ratio"]);
    const f = results.figures[0];
    expect(f.status, f.note ?? "").not.toBe("not measured");
    expect(f.baseline?.value).toBeGreaterThan(0);
    expect(results.notes.join()).toMatch(/Limits over 7 days \([\d,]+ rows; tier ingest ÷ COPY [\d.]+\): (capacity|not enough data)/);
  }, 600_000);
});
