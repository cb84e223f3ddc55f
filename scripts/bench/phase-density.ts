/**
 * Density: the same world at a hot endpoint's 1, 10 and 100 req/s (density.ts), each tier in a
 * fresh database: generated into the pump table, ingested with ingestAnalytics against a raw COPY
 * of the same rows, then the console's reads timed twice — on the gateway's request records alone
 * (no trace backend), then with trace points stored for every endpoint — and a gateway-wide
 * 1,000 req/s stress (density-stress.ts). Cost must follow callers and time, not requests: the
 * investigation at the top tier may cost at most 1.5× what it costs at the bottom one.
 */
import { createDb } from "@/lib/db";
import { withPgClient } from "@/lib/pg-client";
import { BACKGROUND_RATE, tierName, tierTraffic, type DensityTraffic } from "./density";
import { withDensityWorld } from "./density-generate";
import { measureTierReads, type TierReads, type Timing } from "./density-reads";
import { measureStress } from "./density-stress";
import { deriveLatencyPoints } from "./generate";
import { checkpoint, measureIngest } from "./phase-ingest";
import { figure, type Figure } from "./results";
import type { BenchServer } from "./server";

export interface DensityOptions {
  hours: number;
  tiers: number[];
  runs: number;
  stressMinutes: number;
}

export interface DensityMeasurement {
  figures: Figure[];
  notes: string[];
  dataset: Record<string, number>;
}

/** How the reads find the endpoint's latency: the gateway's records only, or a trace backend's points too. */
const MODES = [
  { id: "gateway", label: "gateway records only" },
  { id: "traced", label: "with trace points" },
] as const;
type Mode = (typeof MODES)[number]["id"];

const TARGETS = { investigation: 250, list: 200, series: 100, cost: 1.5, sharePp: 2 };

interface TierResult {
  rate: number;
  traffic: DensityTraffic;
  rows: number;
  ingest: Figure;
  reads: Record<Mode, TierReads>;
}

/** The state a console's database is in between syncs: statistics current, nothing left to flush. */
async function settle(url: string): Promise<void> {
  await withPgClient(url, (c) => c.query("VACUUM ANALYZE"));
  await checkpoint(url);
}

async function measureTier(server: BenchServer, rate: number, o: DensityOptions, log: (s: string) => void): Promise<TierResult> {
  const traffic = tierTraffic(rate, o.hours);
  const name = tierName(rate);
  return withDensityWorld(server, `tl_density_${name}`, traffic, log, async ({ target, source, rows }) => {
    const ingest = await measureIngest(source, target, (s) => log(`  ${s.trim()}`), {
      id: `density.${name}.ingest`, label: `${rate} req/s tier: ingest (ingestAnalytics) vs raw COPY of the same rows`,
    });
    await settle(target);
    const db = createDb(target);
    try {
      const gateway = await measureTierReads(db, traffic, o.runs);
      log(`  ${rate} req/s, ${MODES[0].label}: ${summary(gateway)}`);
      await withPgClient(target, deriveLatencyPoints);
      await settle(target);
      const traced = await measureTierReads(db, traffic, o.runs);
      log(`  ${rate} req/s, ${MODES[1].label}: ${summary(traced)}`);
      return { rate, traffic, rows, ingest: ingest.figures[0], reads: { gateway, traced } };
    } finally {
      await db.$disconnect();
    }
  });
}

const ms = (v: number | null) => (v == null ? "—" : `${Math.round(v).toLocaleString("en-US")} ms`);
const timing = (t: Timing) => `${ms(t.p50)} / ${ms(t.p95)}${t.failures ? ` (${t.failures} of ${t.calls} calls failed: ${t.error})` : ""}`;

function summary(r: TierReads): string {
  return `investigation p50/p95 ${timing(r.investigation)}; list ${timing(r.list)}; series ${timing(r.series)}`;
}

function timingFigure(id: string, label: string, t: Timing, bound: number, runs: number): Figure {
  return figure({
    id, label: `${label} (p95 of ${runs} warm run${runs === 1 ? "" : "s"}, each the median of 3 calls)`,
    value: t.failures ? null : t.p95, unit: "ms", compare: "value", target: { op: "<=", bound },
    ...(t.failures ? { reason: `${t.failures} of ${t.calls} calls failed: ${t.error}${t.p95 != null ? `; p95 of the runs that completed ${ms(t.p95)}` : ""}` } : {}),
  });
}

/** The weighted sample's answer against the exact one (over every request) on the gateway records. */
function sampleFigure(r: TierResult): Figure {
  const s = r.reads.gateway.sample;
  const differ = s && !s.sameSuspects ? `suspects differ: exact [${s.reference.join(", ")}], sampled [${s.candidate.join(", ")}]` : null;
  return figure({
    id: `density.${tierName(r.rate)}.sample`,
    label: `${r.rate} req/s tier: suspect shares of the weighted sample vs the exact computation over every request (largest deviation; same suspects, same order)`,
    value: s && !differ ? s.maxShareDeviationPp : null, unit: "pp", compare: "value", target: { op: "<=", bound: TARGETS.sharePp },
    ...(s ? (differ ? { reason: differ } : {}) : { reason: "an investigation failed" }),
  });
}

function tierFigures(r: TierResult, runs: number): Figure[] {
  const out = [r.ingest, sampleFigure(r)];
  const name = tierName(r.rate);
  for (const m of MODES) {
    const reads = r.reads[m.id];
    const at = `${r.rate} req/s tier, ${m.label}`;
    out.push(
      timingFigure(`density.${name}.${m.id}.investigation`, `${at}: investigation of the hot endpoint`, reads.investigation, TARGETS.investigation, runs),
      timingFigure(`density.${name}.${m.id}.list`, `${at}: endpoints list`, reads.list, TARGETS.list, runs),
      timingFigure(`density.${name}.${m.id}.series`, `${at}: series API`, reads.series, TARGETS.series, runs),
    );
  }
  return out;
}

function costFigures(tiers: TierResult[]): Figure[] {
  if (tiers.length < 2) return [];
  const low = tiers[0], high = tiers[tiers.length - 1];
  return MODES.map((m) => {
    const a = low.reads[m.id].investigation, b = high.reads[m.id].investigation;
    const ok = !a.failures && !b.failures && a.p50 != null && b.p50 != null;
    return figure({
      id: `density.${m.id}.cost`,
      label: `Investigation cost at ${high.rate} req/s vs ${low.rate} req/s, ${m.label} (warm p50; same callers, same window)`,
      value: ok ? b.p50 : null, unit: "ms",
      baseline: a.p50 != null ? { label: `${low.rate} req/s`, value: a.p50, unit: "ms" } : null,
      ratio: ok ? b.p50! / a.p50! : null, compare: "ratio", target: { op: "<=", bound: TARGETS.cost },
      ...(ok ? {} : { reason: "an investigation failed at one of the tiers (see its figure)" }),
    });
  });
}

function culpritFigure(tiers: TierResult[]): Figure {
  const answers = tiers.flatMap((r) => MODES.map((m) => ({ at: `${r.rate} req/s ${m.label}`, facts: r.reads[m.id].facts })));
  const misses = answers.filter((a) => a.facts?.culpritRank !== 1)
    .map((a) => `${a.at}: ${a.facts ? `rank ${a.facts.culpritRank ?? "none"}, top ${a.facts.top ?? "none"}` : "no answer (every investigation failed)"}`);
  return figure({
    id: "density.culprit",
    label: "Density tiers: investigations that rank the planted culprit (its key, policy or the policy's raise) first",
    value: answers.length - misses.length, unit: `of ${answers.length}`,
    compare: "value", target: { op: ">=", bound: answers.length },
    ...(misses.length ? { reason: `not first: ${misses.join("; ")}` } : {}),
  });
}

function tierNote(r: TierResult, hours: number): string[] {
  const inc = r.traffic.incident!;
  return MODES.map((m) => {
    const x = r.reads[m.id], f = x.facts;
    const stages = Object.entries(x.stages).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ");
    const answer = f
      ? `${f.requestsAnalysed?.toLocaleString("en-US") ?? "no"} hot-endpoint requests in the analysis windows (series from ${f.seriesSource}); verdict ${f.verdict}; top suspect ${f.top ?? "none"}; culprit rank ${f.culpritRank ?? "not ranked"}`
        + (x.sample ? `; vs the exact computation: ${x.sample.sameSuspects ? "same suspects in the same order" : "suspects differ"}, largest share deviation ${x.sample.maxShareDeviationPp.toFixed(2)} pp (${x.sample.maxAt ?? "—"})` : "")
      : `every investigation failed: ${x.investigation.error}`;
    return `Density ${r.rate} req/s, ${m.label}: ${r.traffic.hotRows.toLocaleString("en-US")} hot-endpoint requests over ${hours} h `
      + `(culprit limit ${inc.limitBefore} → ${inc.limitAfter}/min, ${inc.surgeRows.toLocaleString("en-US")} surge requests); ${answer}. `
      + `Warm p50 / p95: investigation ${timing(x.investigation)} (stage p50 ms: ${stages || "—"}), list ${timing(x.list)}, series ${timing(x.series)}.`;
  });
}

export async function measureDensity(server: BenchServer, o: DensityOptions, log: (s: string) => void): Promise<DensityMeasurement> {
  const tiers: TierResult[] = [];
  for (const rate of o.tiers) tiers.push(await measureTier(server, rate, o, log));
  const stress = await measureStress(server, o.stressMinutes, log);
  const dataset: Record<string, number> = { "hours in a density tier's day": o.hours };
  for (const r of tiers) dataset[`pump rows in the ${r.rate} req/s tier`] = r.rows;
  dataset["pump rows in the stress"] = stress.rows;
  return {
    figures: [...tiers.flatMap((r) => tierFigures(r, o.runs)), ...costFigures(tiers), culpritFigure(tiers), stress.figure],
    notes: [
      `Density tiers: one hot endpoint (bench-ep-000) among 50, 600 keys (150 identities, 60 policies), background ${BACKGROUND_RATE} req/s on the other endpoints; `
        + `all reads over the tier's whole window; figures are p95 of warm runs, each the median of 3 calls, one client per tier.`,
      ...tiers.flatMap((r) => tierNote(r, o.hours)),
      stress.note,
    ],
    dataset,
  };
}
