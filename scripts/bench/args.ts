/**
 * `npm run bench -- [--scale N] [--pairs N] [--sync-scale N] [--only|--skip ingest,investigation,density,limits,sync,anomalies,page]
 * [--density-hours N] [--density-tiers 1,10,100] [--density-runs N] [--stress-minutes N] [--out DIR] [--keep]
 * [--no-build] [--trace-samples N] [--anomaly-endpoints N] [--anomaly-types N] [--limits-scale N]`
 */

export const PHASES = ["ingest", "investigation", "density", "limits", "sync", "anomalies", "page"] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchArgs {
  /** 1 = the data set (10 M request records, 30 days); smaller for development and smoke runs. */
  scale: number;
  pairs: number;
  /** Scale of the Tyk world for the sync phase (1 = 1,000 APIs, 10,000 policies, 100,000 keys). */
  syncScale: number;
  phases: Phase[];
  outDir: string;
  /** Keep the temp cluster and databases (for poking at plans afterwards). */
  keep: boolean;
  /** Stored traces read per endpoint by the traces sync (its default: 6); 0 for smoke runs. */
  traceSamples: number | null;
  /** Reuse an existing .next-bench build instead of building. */
  build: boolean;
  /** Length of the density tiers' "day" in hours (24 = the issue's tiers; shorter for development). */
  densityHours: number;
  /** Requests per second on the density tiers' hot endpoint, one tier each. */
  densityTiers: number[];
  /** Timed runs per tier and mode (each the median of 3 calls). */
  densityRuns: number;
  /** Minutes of the gateway-wide 1,000 req/s stress (60 = the hour; at least 2). */
  stressMinutes: number;
  /** The anomaly phase's load: endpoints × user types per sync (200 × 20 = the issue's). */
  anomalyEndpoints: number;
  anomalyTypes: number;
  /** The limits tier's rates × this (1 = bursts to 100 req/s; smaller for smoke runs), at most 1. */
  limitsScale: number;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = {
    scale: 1, pairs: 50, syncScale: 1, phases: [...PHASES], outDir: "bench", keep: false, traceSamples: null, build: true,
    densityHours: 24, densityTiers: [1, 10, 100], densityRuns: 5, stressMinutes: 60,
    anomalyEndpoints: 200, anomalyTypes: 20, limitsScale: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${a} must be a positive number, got ${v}`);
      return n;
    };
    if (a === "--scale") out.scale = positive(next());
    else if (a === "--pairs") out.pairs = Math.round(positive(next()));
    else if (a === "--sync-scale") out.syncScale = positive(next());
    else if (a === "--out") out.outDir = next();
    else if (a === "--keep") out.keep = true;
    else if (a === "--no-build") out.build = false;
    else if (a === "--density-hours") {
      out.densityHours = positive(next());
      if (out.densityHours < 2 || out.densityHours > 24) throw new Error("--density-hours must be between 2 and 24");
    } else if (a === "--density-tiers") {
      const tiers = next().split(",").map((s) => positive(s.trim()));
      if (new Set(tiers).size !== tiers.length) throw new Error("--density-tiers must not repeat a rate");
      out.densityTiers = tiers.sort((x, y) => x - y);
    } else if (a === "--density-runs") out.densityRuns = Math.round(positive(next()));
    else if (a === "--stress-minutes") {
      out.stressMinutes = Math.round(positive(next()));
      if (out.stressMinutes < 2 || out.stressMinutes > 24 * 60) throw new Error("--stress-minutes must be between 2 and 1440");
    } else if (a === "--trace-samples") {
      const n = Number(next());
      if (!Number.isInteger(n) || n < 0) throw new Error(`--trace-samples must be a whole number ≥ 0`);
      out.traceSamples = n;
    }
    else if (a === "--anomaly-endpoints") out.anomalyEndpoints = Math.round(positive(next()));
    else if (a === "--anomaly-types") {
      out.anomalyTypes = Math.round(positive(next()));
      if (out.anomalyTypes < 2) throw new Error("--anomaly-types must be at least 2 (a policy and no identity)");
    }
    else if (a === "--limits-scale") {
      out.limitsScale = positive(next());
      if (out.limitsScale > 1) throw new Error("--limits-scale must be at most 1");
    }
    else if (a === "--skip" || a === "--only") {
      const list = next().split(",").map((s) => s.trim()).filter(Boolean);
      for (const p of list) if (!(PHASES as readonly string[]).includes(p)) throw new Error(`unknown phase ${p} (phases: ${PHASES.join(", ")})`);
      out.phases = a === "--only" ? PHASES.filter((p) => list.includes(p)) : out.phases.filter((p) => !list.includes(p));
    } else throw new Error(`unknown argument ${a}`);
  }
  return out;
}
