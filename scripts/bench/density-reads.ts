/**
 * The reads a responder's console makes, timed on one density tier: the investigation of the hot
 * endpoint over the tier's window (investigateEndpoint), the Endpoints list (listEndpoints) and the
 * series API (loadEndpointSeries) — the product's own functions, so whatever they read (request
 * records, trace points, aggregates written at ingest) is what is measured.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { investigateEndpoint } from "@/lib/investigation/investigate-endpoint";
import type { InvestigationJson } from "@/lib/investigation/result";
import { compareAnswers, type AnswerComparison } from "@/lib/investigation/testing/compare-answers";
import { loadEndpointSeries } from "@/lib/investigation/endpoint-series";
import { listEndpoints } from "@/lib/queries/endpoints";
import { endpointId } from "./dataset";
import { HOT_ENDPOINT, densityKeyHash, densityPolicyId, type DensityTraffic } from "./density";
import { median, quantile } from "./results";

/**
 * Warm timings of one read: one untimed call, then `runs` runs, each the median of 3 calls. Every
 * failed call counts, the untimed one's included: a responder would have seen it.
 */
export interface Timing {
  /** Median of each run whose three calls all succeeded, ms. */
  runs: number[];
  p50: number | null;
  p95: number | null;
  failures: number;
  calls: number;
  /** The first failure's message. */
  error: string | null;
}

export interface InvestigationFacts {
  verdict: string;
  /** Label of the top suspect, or null. */
  top: string | null;
  /** 1-based rank of the first suspect naming the culprit (its key, its policy or the policy's change); null if none does. */
  culpritRank: number | null;
  /** Hot-endpoint requests in the baseline and incident windows the engine chose. */
  requestsAnalysed: number | null;
  seriesSource: string;
}

export interface TierReads {
  investigation: Timing;
  list: Timing;
  series: Timing;
  /** Median per investigation stage over the timed calls, ms. */
  stages: Record<string, number>;
  /** From the first investigation that succeeded; null when none did. */
  facts: InvestigationFacts | null;
  /** That answer against the exact computation over every request (compareAnswers); null when either failed. */
  sample: AnswerComparison | null;
}

/** An error's first lines, after its code (Prisma's P2028, a SQLSTATE) when it has one. */
function message(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const text = (err instanceof Error ? err.message : String(err)).split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 3).join(" ");
  return typeof code === "string" ? `${code}: ${text}` : text;
}

export async function timeRuns(runs: number, call: (timed: boolean) => Promise<unknown>): Promise<Timing> {
  const t: Timing = { runs: [], p50: null, p95: null, failures: 0, calls: 0, error: null };
  const once = async (timed = true): Promise<number | null> => {
    const start = performance.now();
    t.calls++;
    try {
      await call(timed);
      return performance.now() - start;
    } catch (err) {
      t.failures++;
      t.error ??= message(err);
      return null;
    }
  };
  await once(false);
  for (let r = 0; r < runs; r++) {
    const three = [await once(), await once(), await once()];
    if (three.every((x) => x != null)) t.runs.push(median(three as number[]));
  }
  if (t.runs.length) {
    t.p50 = median(t.runs);
    t.p95 = quantile(t.runs, 0.95);
  }
  return t;
}

/** Whether a suspect names the planted culprit: its key, its policy, or that policy's change. */
export function namesCulprit(s: InvestigationJson["suspects"][number], t: DensityTraffic): boolean {
  if (!t.incident) return false;
  const policy = densityPolicyId(t.incident.culpritPolicy);
  return (s.kind === "key" && s.id === densityKeyHash(t.incident.culpritKey))
    || (s.kind === "policy" && s.id === policy)
    || (s.kind === "access_change" && s.changeKind === "policy" && s.targetId === policy);
}

export function factsOf(r: InvestigationJson, t: DensityTraffic): InvestigationFacts {
  const rank = r.suspects.findIndex((s) => namesCulprit(s, t));
  const w = r.analysisWindows;
  const inWindows = (ts: number) => w != null && ts >= Date.parse(w.baseline.from) && ts < Date.parse(w.incident.to);
  return {
    verdict: r.verdict.verdict,
    top: r.suspects[0] ? `${r.suspects[0].kind} ${r.suspects[0].label}` : null,
    culpritRank: rank >= 0 ? rank + 1 : null,
    requestsAnalysed: w ? r.series.filter((p) => inWindows(p.ts)).reduce((n, p) => n + p.count, 0) : null,
    seriesSource: r.seriesSource,
  };
}

/** Times the three reads on `db` (one client for all of them, as in a running console). */
export async function measureTierReads(db: PrismaClient, t: DensityTraffic, runs: number): Promise<TierReads> {
  const input = { endpointId: endpointId(HOT_ENDPOINT), from: t.from, to: t.to };
  let facts: InvestigationFacts | null = null;
  let first: InvestigationJson | null = null;
  const stageTimes = new Map<string, number[]>();
  const onStage = (name: string, ms: number) => stageTimes.set(name, [...(stageTimes.get(name) ?? []), ms]);
  const investigation = await timeRuns(runs, async (timed) => {
    const r = await investigateEndpoint(db, timed ? { ...input, onStage } : input);
    first ??= r;
    facts ??= factsOf(r, t);
  });
  // Untimed: the exact answer over every request, to validate the weighted sample's.
  const exact = first ? await investigateEndpoint(db, { ...input, exact: true }).catch(() => null) : null;
  const sample = first && exact ? compareAnswers(exact, first) : null;
  const list = await timeRuns(runs, () => listEndpoints(db, { now: t.to }));
  const series = await timeRuns(runs, () => loadEndpointSeries(db, input));
  const stages = Object.fromEntries([...stageTimes].map(([k, v]) => [k, median(v)]));
  return { investigation, list, series, stages, facts, sample };
}
