/**
 * Limits: capacity + recommendation (loadEndpointLimits, the 7-day window the Capacity & limits panel
 * reads) for the hot endpoint of the busiest density tier, against a hand-written SQL floor that reads
 * the same stored aggregates — the endpoint's hour rows (endpoint_hours: per-minute served counts and
 * latency histograms) and its callers' per-minute counts (request_records by caller) — and nothing
 * else. The product may cost at most 2× its floor: the bootstrap and the recommendation on top of the
 * reads must stay small beside them.
 */
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { loadEndpointLimits } from "@/lib/limits/endpoint-limits";
import { endpointId } from "./dataset";
import { HOT_ENDPOINT, tierName, tierTraffic } from "./density";
import { withDensityWorld } from "./density-generate";
import { timeRuns, type Timing } from "./density-reads";
import { checkpoint, measureIngest } from "./phase-ingest";
import { figure, type Figure } from "./results";
import type { BenchServer } from "./server";
import { withPgClient } from "@/lib/pg-client";

const TARGET_RATIO = 2;
const DAY = 86_400_000;

/** What any capacity-and-recommendation answer has to read: the two aggregate queries, hand-written. */
async function floorReads(db: PrismaClient, endpoint: string, from: Date, to: Date): Promise<void> {
  await db.$queryRaw`
    SELECT hour, minutes, minute_requests, minute_rejected, hist_minutes, hist_bins, hist_counts
    FROM endpoint_hours WHERE endpoint_id = ${endpoint} AND hour >= date_trunc('hour', ${from}::timestamp) AND hour < ${to}::timestamp ORDER BY hour`;
  await db.$queryRaw`
    SELECT key_hash, sum(n)::float8 AS requests, percentile_cont(0.95) WITHIN GROUP (ORDER BY n) AS p95
    FROM (SELECT c.key_hash, date_trunc('minute', r.ts) AS minute, count(*)::float8 AS n
          FROM request_records r JOIN request_callers c ON c.id = r.caller_id
          WHERE r.endpoint_id = ${endpoint} AND r.ts >= ${from}::timestamp AND r.ts < ${to}::timestamp AND c.key_hash IS NOT NULL
          GROUP BY c.key_hash, minute) m
    GROUP BY key_hash`;
}

const ms = (t: Timing) => (t.p50 == null ? "—" : `${Math.round(t.p50)} ms`);

export async function measureLimits(server: BenchServer, o: { hours: number; rate: number; runs: number }, log: (s: string) => void): Promise<{ figures: Figure[]; notes: string[] }> {
  const traffic = tierTraffic(o.rate, o.hours);
  return withDensityWorld(server, `tl_limits_${tierName(o.rate)}`, traffic, log, async ({ target, source, rows }) => {
    await measureIngest(source, target, (s) => log(`  ${s.trim()}`), { id: "limits.ingest", label: "limits tier ingest (not a figure)" });
    await withPgClient(target, (c) => c.query("VACUUM ANALYZE"));
    await checkpoint(target);
    const db = createDb(target);
    try {
      const endpoint = endpointId(HOT_ENDPOINT);
      const to = Math.floor(traffic.to / 60_000) * 60_000, from = to - 7 * DAY;
      let answer = "";
      const product = await timeRuns(o.runs, async () => {
        const r = await loadEndpointLimits(db, endpoint, traffic.to);
        answer ||= `${r.capacityText}; ${r.recommendations.length} recommendation(s)`;
      });
      const floor = await timeRuns(o.runs, () => floorReads(db, endpoint, new Date(from), new Date(to)));
      log(`  limits at ${o.rate} req/s: loadEndpointLimits ${ms(product)}, SQL floor ${ms(floor)} (${answer})`);
      const ok = !product.failures && !floor.failures && product.p50 != null && floor.p50 != null;
      return {
        figures: [figure({
          id: "limits.ratio",
          label: `Capacity + recommendation of the hot endpoint at ${o.rate} req/s (7-day window over a ${o.hours} h tier, ${rows.toLocaleString("en-US")} pump rows) vs a hand-written SQL floor of the same aggregates (warm p50)`,
          value: ok ? product.p50 : null, unit: "ms", baseline: floor.p50 != null ? { label: "SQL floor", value: floor.p50, unit: "ms" } : null,
          ratio: ok ? product.p50! / floor.p50! : null, compare: "ratio", target: { op: "<=", bound: TARGET_RATIO },
          ...(ok ? {} : { reason: `failed: ${product.error ?? floor.error}` }),
        })],
        notes: [`Limits at ${o.rate} req/s: ${answer}; loadEndpointLimits warm p50 ${ms(product)}, the SQL floor's ${ms(floor)}.`],
      };
    } finally {
      await db.$disconnect();
    }
  });
}
