/**
 * `npm run bench` — Touchline's performance benchmark (README "Performance"). Generates the data set
 * in a fresh database, measures ingest, investigation, the density tiers, sync, anomaly detection and page weight
 * against baselines measured in the same run, writes bench/results.json and bench/results.md, and
 * exits 1 when any target is missed (or could not be measured).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { withPgClient as withClient } from "@/lib/pg-client";
import { applyMigrations } from "@/scripts/db/migrate";
import { PHASES, parseBenchArgs, type Phase } from "./args";
import { datasetShape, investigationPairs } from "./dataset";
import { deriveLatencyPoints, generateCatalog, generatePumpRows } from "./generate";
import { measureAnomalies } from "./phase-anomalies";
import { measureDensity } from "./phase-density";
import { measureIngest } from "./phase-ingest";
import { measureLimits } from "./phase-limits";
import { measureInvestigation } from "./phase-investigation";
import { measurePage } from "./phase-page";
import { measureSync } from "./phase-sync";
import { measureTraceBudget } from "./trace-budget";
import { allPassed, figure, renderMarkdown, type BenchResults, type Figure } from "./results";
import { startBenchServer } from "./server";

const log = (s: string) => console.log(s);

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await fn();
  log(`${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return r;
}

export async function runBench(argv: string[]): Promise<BenchResults> {
  const args = parseBenchArgs(argv);
  const startedAt = new Date().toISOString();
  const shape = datasetShape(args.scale, args.pairs);
  const pairs = investigationPairs(shape);
  const figures: Figure[] = [];
  const plans: BenchResults["plans"] = [];
  const notes: string[] = [];
  const dataset: Record<string, number> = {};
  const needsServer = args.phases.some((p) => p !== "page");
  const server = needsServer ? await startBenchServer({ keep: args.keep, log }) : null;
  let postgres: string | null = null;
  try {
    if (server) postgres = await server.version();
    const needData = args.phases.includes("ingest") || args.phases.includes("investigation");
    if (needData && server) {
      const target = await server.database("tl_bench");
      const source = await server.database("tl_bench_pump");
      await applyMigrations(target);
      await step(`catalog (${shape.endpoints} endpoints, ${shape.keys} keys, ${shape.policies} policies)`, () =>
        withClient(target, (c) => generateCatalog(c, shape, pairs)));
      const pumpRows = await step(`pump rows (${shape.rows.toLocaleString()} over ${shape.days} days)`, () =>
        withClient(source, (c) => generatePumpRows(c, shape, pairs)));
      Object.assign(dataset, {
        "request records": pumpRows, days: shape.days, endpoints: shape.endpoints, keys: shape.keys,
        policies: shape.policies, "policy versions": shape.policies * 3, "investigation pairs": pairs.length,
      });
      log("ingest:");
      const ingest = await measureIngest(source, target, log);
      if (args.phases.includes("ingest")) figures.push(...ingest.figures);
      const points = await step("latency points", () => withClient(target, async (c) => {
        await c.query("VACUUM ANALYZE request_records, request_callers");
        const n = await deriveLatencyPoints(c);
        // Measure a settled database, as a console's is between syncs: without this, autovacuum of the
        // freshly written points and the checkpoint after them ran during the investigation's timings.
        await c.query("VACUUM ANALYZE latency_points");
        await c.query("CHECKPOINT");
        return n;
      }));
      dataset["latency points"] = points;
      if (args.phases.includes("investigation")) {
        log("investigation:");
        const inv = await measureInvestigation(target, pairs, () => server.restart(), log);
        figures.push(...inv.figures);
        plans.push(...inv.plans);
        notes.push(`Investigation verdicts over the ${pairs.length} pairs: ${JSON.stringify(inv.verdicts)}; the planted culprit ranked first in ${inv.culpritFound}.`);
      }
      // Free the main data set's disk before the density tiers generate theirs.
      await server.drop(target);
      await server.drop(source);
    }
    if (args.phases.includes("density") && server) {
      log("density:");
      const density = await measureDensity(server, {
        hours: args.densityHours, tiers: args.densityTiers, runs: args.densityRuns, stressMinutes: args.stressMinutes,
      }, log);
      figures.push(...density.figures);
      notes.push(...density.notes);
      Object.assign(dataset, density.dataset);
    }
    if (args.phases.includes("limits") && server) {
      log("limits:");
      const limits = await measureLimits(server, { runs: args.densityRuns, scale: args.limitsScale }, log);
      figures.push(...limits.figures);
      notes.push(...limits.notes);
    }
    if (args.phases.includes("sync") && server) {
      log("sync:");
      const sync = await measureSync(server, args.syncScale, log, args.traceSamples);
      figures.push(...sync.figures);
      notes.push(...sync.notes);
      const streams = await measureTraceBudget(server, args.syncScale, log);
      figures.push(...streams.figures);
      notes.push(...streams.notes);
    }
    if (args.phases.includes("anomalies") && server) {
      log("anomalies:");
      const anomalies = await measureAnomalies(server, { endpoints: args.anomalyEndpoints, types: args.anomalyTypes }, log);
      figures.push(...anomalies.figures);
      notes.push(...anomalies.notes);
      Object.assign(dataset, anomalies.dataset);
    }
    if (args.phases.includes("page")) {
      log("page:");
      const page = await measurePage(log, { build: args.build });
      figures.push(...page.figures);
      notes.push(...page.notes);
    }
  } catch (err) {
    figures.push(figure({ id: "harness", label: "benchmark harness", value: null, unit: "", compare: "value", target: { op: ">=", bound: 0 }, reason: String(err) }));
    console.error(err);
  } finally {
    await server?.close();
  }
  const results: BenchResults = {
    startedAt, finishedAt: new Date().toISOString(), scale: args.scale,
    machine: { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres },
    dataset, figures, plans, notes, passed: allPassed(figures),
  };
  await mkdir(args.outDir, { recursive: true });
  await carryOver(results, args.phases, path.join(args.outDir, "results.json"));
  await writeFile(path.join(args.outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  await writeFile(path.join(args.outDir, "results.md"), renderMarkdown(results));
  log(`\n${renderMarkdown({ ...results, plans: [] })}`);
  log(`wrote ${path.join(args.outDir, "results.json")} and results.md`);
  return results;
}

/**
 * A run of some phases only (--only/--skip) keeps the previous run's figures of the other phases,
 * marked as such, so one slow phase can be re-measured without redoing the rest.
 */
async function carryOver(results: BenchResults, ran: Phase[], file: string): Promise<void> {
  if (ran.length === PHASES.length) return;
  let previous: BenchResults;
  try {
    previous = JSON.parse(await readFile(file, "utf8")) as BenchResults;
  } catch {
    return;
  }
  const kept = previous.figures.filter((f) => !ran.some((p) => f.id.startsWith(`${p}.`)) && f.id !== "harness");
  if (!kept.length) return;
  results.figures = [...kept.map((f) => ({ ...f, runAt: f.runAt ?? previous.startedAt })), ...results.figures];
  results.figures.sort((a, b) => PHASES.findIndex((p) => a.id.startsWith(p)) - PHASES.findIndex((p) => b.id.startsWith(p)));
  if (!ran.includes("investigation")) results.plans = [...previous.plans, ...results.plans];
  results.dataset = { ...previous.dataset, ...results.dataset };
  // The density notes are the phase's per-tier answers: a new run's replace the last run's.
  const stale = (n: string) => results.notes.includes(n) || (ran.includes("density") && n.startsWith("Density"))
    || (ran.includes("anomalies") && n.startsWith("Anomalies:")) || (ran.includes("limits") && n.startsWith("Limits "));
  results.notes = [...previous.notes.filter((n) => !stale(n)), ...results.notes];
  results.passed = allPassed(results.figures);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("scripts/bench/main.ts")) {
  runBench(process.argv.slice(2)).then(
    (r) => process.exit(r.passed ? 0 : 1),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
