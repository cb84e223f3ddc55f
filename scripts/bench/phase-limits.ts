/**
 * Limits: capacity + recommendation (loadEndpointLimits, the Capacity & limits panel's 7-day window)
 * for the hot endpoint of the limits tier (limits-tier.ts: 7 days, a daily cycle and bursts to
 * 100 req/s), against a hand-written SQL floor that reads the same stored aggregates — the
 * endpoint's hour rows (endpoint_hours: per-minute counts and latency histograms) and its
 * caller-minute rows (endpoint_caller_minutes) for the window — and nothing else. The product may
 * cost at most 2× its floor: the bootstrap, the per-key grouping and the recommendation on top of the
 * reads must stay small beside them. The tier exists to exercise the recommendation: an answer
 * without a capacity knee or without a recommendation fails the figure.
 */
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";
import { loadEndpointLimits, type EndpointLimits } from "@/lib/limits/endpoint-limits";
import { withPgClient } from "@/lib/pg-client";
import { endpointId } from "./dataset";
import { HOT_ENDPOINT } from "./density";
import { withDensityWorld } from "./density-generate";
import { timeRuns, type Timing } from "./density-reads";
import { limitsPumpRows, limitsTraffic } from "./limits-tier";
import { checkpoint, measureIngest } from "./phase-ingest";
import { figure, type Figure } from "./results";
import type { BenchServer } from "./server";

const TARGET_RATIO = 2;
const DAY = 86_400_000;

/**
 * What any capacity-and-recommendation answer has to read, hand-written and in parallel as the
 * product reads them: the endpoint's hour rows, and its caller-minute rows as one packed text
 * (the cheapest way we know to move them through the driver).
 */
async function floorReads(db: PrismaClient, endpoint: string, from: number, to: number): Promise<void> {
  const hours = Prisma.sql`endpoint_id = ${endpoint} AND hour >= date_trunc('hour', ${at(from)}) AND hour < ${at(to)}`;
  await Promise.all([
    readRows(db, Prisma.sql`
      SELECT hour, minutes, minute_requests, minute_rejected, hist_minutes, hist_bins, hist_counts FROM endpoint_hours WHERE ${hours} ORDER BY hour`),
    readRows(db, Prisma.sql`
      SELECT string_agg(concat_ws(',', (extract(epoch FROM hour) * 1000)::int8, cardinality(minutes),
        array_to_string(minutes, ','), array_to_string(caller_ids, ','), array_to_string(caller_counts, ',')), ',' ORDER BY hour) AS packed
      FROM endpoint_caller_minutes WHERE ${hours}`),
  ]);
}

const ms = (t: Timing) => (t.p50 == null ? "—" : `${Math.round(t.p50)} ms`);

/** Why the answer does not exercise what the tier is for (null: it does). */
function unexercised(r: EndpointLimits): string | null {
  if (r.capacity?.kind !== "knee") return `no capacity knee: ${r.capacityText}`;
  if (!r.recommendations.length) return `no recommendation: ${r.note ?? "none"}`;
  return null;
}

export async function measureLimits(server: BenchServer, o: { runs: number; scale: number }, log: (s: string) => void): Promise<{ figures: Figure[]; notes: string[] }> {
  const traffic = limitsTraffic(o.scale);
  return withDensityWorld(server, "tl_limits_7d", traffic, log, async ({ target, source, rows }) => {
    const ingest = await measureIngest(source, target, (s) => log(`  ${s.trim()}`), { id: "limits.ingest", label: "limits tier ingest (not a figure)" });
    await withPgClient(target, (c) => c.query("VACUUM ANALYZE"));
    const sizes = await withPgClient(target, async (c) => (await c.query<{ hours: string; minutes: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('endpoint_hours')) AS hours, pg_size_pretty(pg_total_relation_size('endpoint_caller_minutes')) AS minutes`)).rows[0]);
    await checkpoint(target);
    const db = createDb(target);
    try {
      const endpoint = endpointId(HOT_ENDPOINT);
      const to = Math.floor(traffic.to / 60_000) * 60_000, from = to - 7 * DAY;
      let first: EndpointLimits | null = null;
      const product = await timeRuns(o.runs, async () => {
        const r = await loadEndpointLimits(db, endpoint, traffic.to);
        first ??= r;
      });
      const floor = await timeRuns(o.runs, () => floorReads(db, endpoint, from, to));
      const r = first as EndpointLimits | null;
      const answer = r ? `${r.capacityText}; ${r.recommendations.length} recommendation(s)${r.recommendations.length ? `, the first: ${r.recommendations[0].line}` : ""}` : "no answer";
      const missing = r ? unexercised(r) : "no answer";
      log(`  limits over 7 days: loadEndpointLimits ${ms(product)}, SQL floor ${ms(floor)} (${answer})`);
      const ok = !product.failures && !floor.failures && product.p50 != null && floor.p50 != null;
      const ratio = ok ? product.p50! / floor.p50! : null;
      const f = figure({
          id: "limits.ratio",
          label: `Capacity + recommendation of the hot endpoint over 7 days (daily cycle ${2 * o.scale}–${8 * o.scale} req/s, daily bursts to ${60 * o.scale}–${100 * o.scale} req/s; ${rows.toLocaleString("en-US")} pump rows) vs a hand-written SQL floor of the same aggregates (warm p50)`,
          value: ok ? product.p50 : null, unit: "ms", baseline: floor.p50 != null ? { label: "SQL floor", value: floor.p50, unit: "ms" } : null,
          ratio, compare: "ratio", target: { op: "<=", bound: TARGET_RATIO },
          ...(!ok ? { reason: `failed: ${product.error ?? floor.error}` } : missing ? { reason: `failed: the tier did not exercise the recommendation (${missing})` } : {}),
      });
      // However fast, an answer that never reached the recommendation did not measure what the figure is for.
      if (ok && missing) f.status = "fail";
      return {
        figures: [f],
        notes: [
          `Limits over 7 days (${rows.toLocaleString("en-US")} rows; tier ingest ÷ COPY ${(ingest.ingestRowsPerSec / ingest.copyRowsPerSec).toFixed(2)}): ${answer}; ` +
          `loadEndpointLimits warm p50 ${ms(product)}, the SQL floor's ${ms(floor)}. On disk: endpoint_hours ${sizes.hours}, endpoint_caller_minutes ${sizes.minutes} (every endpoint, 7 days).`,
        ],
      };
    } finally {
      await db.$disconnect();
    }
  }, limitsPumpRows(o.scale));
}
