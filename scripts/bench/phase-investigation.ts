/**
 * Investigation: the service the API calls (investigateEndpoint) for every (endpoint, 24 h window)
 * pair, cold (first run after a server restart: empty shared buffers) and warm, against the floor —
 * hand-written SQL computing the aggregates the service cannot avoid: the window's per-minute series
 * and the caller × minute × latency-bin histogram of the analysis windows it chose.
 */
import pg from "pg";
import { withPgClient } from "@/lib/pg-client";
import { LOOKUP_CONNECTIONS, createDb, lookupPoolOf, poolOf } from "@/lib/db";
import { LATENCY_BIN_SQL } from "@/lib/analysis";
import { investigateEndpoint } from "@/lib/investigation/investigate-endpoint";
import { endpointId, MINUTE, type Pair } from "./dataset";
import { figure, median, quantile, type Figure } from "./results";

export interface InvestigationMeasurement {
  figures: Figure[];
  plans: { name: string; text: string }[];
  verdicts: Record<string, number>;
  /** Pairs whose top suspect names the planted culprit (key j / its policy). */
  culpritFound: number;
}

interface Windows {
  seriesFrom: number;
  to: number;
  cells: { from: number; to: number } | null;
}

/**
 * The most queries an investigation has in flight at once on each of its client's pools: two scans
 * (its two cell parts) and two lookups (the window's changes and stored exemplars).
 */
const INVESTIGATION_CONNECTIONS = { scans: 2, lookups: LOOKUP_CONNECTIONS };

const lit = (ms: number) => `(to_timestamp(${ms / 1000}) AT TIME ZONE 'UTC')::timestamp(3)`;

/** The floor's statements for one pair (same shapes, same index ranges as the service's loaders). */
export function floorSql(endpoint: string, w: Windows): string[] {
  const ep = `'${endpoint.replace(/'/g, "''")}'`;
  const out = [
    `SELECT ts, p50, p95, p99, count, errors FROM latency_points
     WHERE endpoint_id = ${ep} AND ts >= ${lit(w.seriesFrom)} AND ts < ${lit(w.to)} ORDER BY ts`,
  ];
  if (w.cells) {
    // The investigation's own source: the weighted sample (lib/sync/analytics/sampler.ts).
    out.push(`SELECT date_trunc('minute', ts), caller_id, ${LATENCY_BIN_SQL}, sum(weight),
       sum(weight) FILTER (WHERE status >= 500)
     FROM request_records WHERE endpoint_id = ${ep} AND ts >= ${lit(w.cells.from)} AND ts < ${lit(w.cells.to)} AND weight > 0 GROUP BY 1, 2, 3`);
  }
  return out;
}

async function ms<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

function scanNodes(plan: string): string {
  return plan
    .split("\n")
    .filter((l) => /Scan|Subplans Removed|Heap Fetches|Execution Time|Planning Time/.test(l))
    .map((l) => l.trim())
    .join("; ");
}

export async function measureInvestigation(
  url: string, pairs: Pair[], restart: () => Promise<boolean>, log: (s: string) => void, warmRounds = 3,
): Promise<InvestigationMeasurement> {
  const windows = new Map<number, Windows>();
  const verdicts: Record<string, number> = {};
  let culpritFound = 0;
  const runInvestigation = async (db: ReturnType<typeof createDb>, p: Pair) =>
    investigateEndpoint(db, { endpointId: endpointId(p.endpoint), from: p.from, to: p.to });

  // One client for the whole phase, as in a running console: a database restart drops its
  // connections (the pool opens new ones) but not the process's caches (e.g. caller tuples).
  const db = createDb(url);
  // Discovery pass (not timed): the analysis windows the service picks, which the floor must cover too.
  try {
    for (const p of pairs) {
      const r = await runInvestigation(db, p);
      verdicts[r.verdict.verdict] = (verdicts[r.verdict.verdict] ?? 0) + 1;
      const top = r.suspects[0];
      if (top && (top.label.includes(`bench-key-${p.j}`) || top.label.includes(`bench-policy-${p.j}`) || JSON.stringify(top).includes(`bench-pol-${p.j}"`))) culpritFound++;
      windows.set(p.j, {
        seriesFrom: p.from - 60 * MINUTE,
        to: p.to,
        cells: r.analysisWindows ? { from: Date.parse(r.analysisWindows.baseline.from), to: Date.parse(r.analysisWindows.incident.to) } : null,
      });
    }
  } catch (err) {
    await db.$disconnect();
    throw err;
  }
  log(`  verdicts: ${JSON.stringify(verdicts)}; culprit ranked first in ${culpritFound}/${pairs.length}`);

  const floorOnce = async (c: pg.Client, p: Pair) => {
    for (const sql of floorSql(endpointId(p.endpoint), windows.get(p.j)!)) await c.query(sql);
  };
  const withClient = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withPgClient(url, fn);

  const restarted = await restart();
  const floorCold = await withClient(async (c) => {
    const out: number[] = [];
    for (const p of pairs) out.push((await ms(() => floorOnce(c, p)))[0]);
    return out;
  });
  await restart();
  const invCold: number[] = [];
  const invWarm: number[] = [];
  const floorWarm: number[] = [];
  try {
    // Connection set-up is not the investigation's cost (the floor's client connects before its
    // timings too): open as many connections as an investigation uses at once on each pool, each a
    // fresh backend after the restart, so catalog caches stay as cold as the data.
    await Promise.all([
      ...Array.from({ length: INVESTIGATION_CONNECTIONS.scans }, () => poolOf(db).query("SELECT 1")),
      ...Array.from({ length: INVESTIGATION_CONNECTIONS.lookups }, () => lookupPoolOf(db).query("SELECT 1")),
    ]);
    for (const p of pairs) invCold.push((await ms(() => runInvestigation(db, p)))[0]);
    await withClient(async (c) => {
      for (const p of pairs) {
        const inv: number[] = [], fl: number[] = [];
        for (let r = 0; r < warmRounds; r++) {
          inv.push((await ms(() => runInvestigation(db, p)))[0]);
          fl.push((await ms(() => floorOnce(c, p)))[0]);
        }
        invWarm.push(median(inv));
        floorWarm.push(median(fl));
      }
    });
  } finally {
    await db.$disconnect();
  }

  // Plans of the busiest pair's aggregates, as the floor (and the service) issue them.
  const plans: { name: string; text: string }[] = [];
  const sample = pairs[0];
  if (sample) {
    await withClient(async (c) => {
      const [series, cells] = floorSql(endpointId(sample.endpoint), windows.get(sample.j)!);
      for (const [name, sql] of [["series (latency_points)", series], ["caller × minute × bin (request_records)", cells]] as const) {
        if (!sql) continue;
        const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`);
        const text = rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
        plans.push({ name: `${name} — ${endpointId(sample.endpoint)}, day ${sample.day}`, text });
        log(`  plan ${name}: ${scanNodes(text)}`);
      }
    });
  }

  const p95 = (xs: number[]) => quantile(xs, 0.95);
  log(`  floor cold p95 ${p95(floorCold).toFixed(1)} ms, warm p95 ${p95(floorWarm).toFixed(1)} ms`);
  log(`  investigation cold p95 ${p95(invCold).toFixed(1)} ms, warm p95 ${p95(invWarm).toFixed(1)} ms`);
  const coldNote = restarted ? "cold = first call after a PostgreSQL restart (empty shared buffers; the OS page cache stays warm)" : "cold = first call (external server, not restarted)";
  return {
    verdicts,
    culpritFound,
    plans,
    figures: [
      figure({
        id: "investigation.warm.p95",
        label: `Investigation p95, warm (${pairs.length} endpoint × 24 h pairs)`,
        value: p95(invWarm), unit: "ms", compare: "value", target: { op: "<=", bound: 250 },
      }),
      figure({
        id: "investigation.warm.vs_floor",
        label: "Investigation p95 warm vs hand-written SQL floor p95 warm",
        value: p95(invWarm), unit: "ms",
        baseline: { label: "SQL floor p95 warm", value: p95(floorWarm), unit: "ms" },
        ratio: p95(invWarm) / p95(floorWarm), compare: "ratio", target: { op: "<=", bound: 2 },
      }),
      figure({
        id: "investigation.cold.vs_floor",
        label: "Investigation p95 cold vs SQL floor p95 cold",
        value: p95(invCold), unit: "ms",
        baseline: { label: "SQL floor p95 cold", value: p95(floorCold), unit: "ms" },
        ratio: p95(invCold) / p95(floorCold), compare: "ratio", target: { op: "<=", bound: 2 }, reason: coldNote,
      }),
    ],
  };
}
