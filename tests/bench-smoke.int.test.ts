import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBench } from "@/scripts/bench/main";
import type { BenchResults } from "@/scripts/bench/results";

// `npm run bench` at a small scale (200 k records, 2 planted incidents) against the integration server: the harness must run every
// measured phase end to end and report every figure with a number and a verdict. No timing is
// asserted — pass/fail of the targets is the full benchmark's business. The page phase (a
// production build) is left to `npm run bench`.
let out: string | null = null;
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe("npm run bench (smoke)", () => {
  it("generates the data set, measures ingest, investigation and sync, and writes both reports", async () => {
    out = await mkdtemp(path.join(tmpdir(), "touchline-bench-smoke-"));
    const results = await runBench(["--scale", "0.02", "--pairs", "2", "--sync-scale", "0.002", "--trace-samples", "0", "--skip", "page", "--out", out]);
    const ids = results.figures.map((f) => f.id);
    expect(ids).toEqual([
      "ingest.rate", "investigation.warm.p95", "investigation.warm.vs_floor", "investigation.cold.vs_floor",
      "sync.full", "sync.incremental", "sync.trace_rate",
    ]);
    for (const f of results.figures) {
      expect(f.status, `${f.id}: ${f.note ?? ""}`).not.toBe("not measured");
      expect(Number.isFinite(f.value)).toBe(true);
    }
    expect(results.figures.find((f) => f.id === "ingest.rate")?.baseline?.value).toBeGreaterThan(0);
    expect(results.dataset["request records"]).toBe(200_000);
    expect(results.notes.join()).toMatch(/culprit ranked first in 2\b/);
    expect(results.plans.map((p) => p.name).join()).toMatch(/latency_points.*request_records/);

    const json = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as BenchResults;
    expect(json.figures).toHaveLength(ids.length);
    const md = await readFile(path.join(out, "results.md"), "utf8");
    for (const f of results.figures) expect(md).toContain(f.label);
    expect(md).toContain("| figure | value | baseline | ratio | target | result |");
  }, 600_000);
});
