// The weighted sample written at ingest (lib/sync/analytics/sampler.ts) on a dense world: the
// bench's density world at 10 req/s on its hot endpoint, generated and ingested for real.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { withPgClient } from "@/lib/pg-client";
import { ingestAnalytics } from "@/lib/sync/analytics/ingest";
import { SAMPLE_SPAN_MINUTES } from "@/lib/sync/analytics/sampler";
import { GATEWAY_REJECTION_SQL } from "@/lib/analysis";
import { endpointId } from "@/scripts/bench/dataset";
import { HOT_ENDPOINT, tierTraffic } from "@/scripts/bench/density";
import { withDensityWorld } from "@/scripts/bench/density-generate";
import { namesCulprit } from "@/scripts/bench/density-reads";
import { startBenchServer, type BenchServer } from "@/scripts/bench/server";
import { investigateEndpoint } from "./investigate-endpoint";
import { compareAnswers } from "./testing/compare-answers";
import type { InvestigationJson } from "./result";

const traffic = tierTraffic(10, 3);
const HOT = endpointId(HOT_ENDPOINT);

let server: BenchServer;
let facts: {
  mismatched: number; cellsExact: number; rows: number; sampled: number;
  exact: InvestigationJson; weighted: InvestigationJson;
};

beforeAll(async () => {
  server = await startBenchServer();
  facts = await withDensityWorld(server, `tl_sample_${process.pid}`, traffic, () => {}, async ({ target, source }) => {
    const db: PrismaClient = createDb(target);
    try {
      // Batches of ~20 minutes, as a sync catching up would read them.
      await ingestAnalytics({ db, sourceUrl: source, databaseUrl: target, batchSize: 12_000 });
      const counts = await withPgClient(target, async (c) => (await c.query<{ mismatched: number; cells: number; rows: number; sampled: number }>(`
        WITH k AS (
          SELECT date_bin(interval '1 minute' * $2, ts, timestamp '2000-01-01') AS block, caller_id,
                 CASE WHEN ${GATEWAY_REJECTION_SQL} THEN 0 WHEN status >= 500 THEN 1 ELSE 2 END AS kind, count(*) AS n, sum(weight) AS w,
                 count(*) FILTER (WHERE weight > 0) AS kept
          FROM request_records WHERE endpoint_id = $1 GROUP BY 1, 2, 3)
        SELECT count(*) FILTER (WHERE n <> w)::int AS mismatched, count(*)::int AS cells, sum(n)::int AS rows, sum(kept)::int AS sampled FROM k`, [HOT, SAMPLE_SPAN_MINUTES])).rows[0]);
      const input = { endpointId: HOT, from: traffic.from, to: traffic.to };
      const exact = await investigateEndpoint(db, { ...input, exact: true });
      const weighted = await investigateEndpoint(db, input);
      return { mismatched: counts.mismatched, cellsExact: counts.cells, rows: counts.rows, sampled: counts.sampled, exact, weighted };
    } finally {
      await db.$disconnect();
    }
  });
}, 300_000);

afterAll(async () => {
  await server?.close();
});

describe("the investigation's weighted sample on a dense endpoint", () => {
  it("keeps every (block of minutes, caller, kind) count exact: the weights of its rows sum to its requests", () => {
    expect(facts.cellsExact).toBeGreaterThan(1000);
    expect(facts.mismatched).toBe(0);
  });

  it("keeps far fewer rows in the investigation's index than requests", () => {
    expect(facts.rows).toBeGreaterThan(100_000);
    // At 10 req/s over 600 callers: about one row in ten of each heavy caller, one per block for
    // the others, the p99 tail whole (and every row of the first minute, before a rate is known).
    expect(facts.sampled / facts.rows).toBeLessThan(0.4);
  });

  it("names the same suspects in the same order as the exact computation, shares within 2 points", () => {
    const cmp = compareAnswers(facts.exact, facts.weighted);
    expect(facts.exact.verdict.verdict).toBe("explained");
    expect(cmp.candidate).toEqual(cmp.reference);
    expect(cmp.maxShareDeviationPp).toBeLessThanOrEqual(2);
    expect(namesCulprit(facts.weighted.suspects[0], traffic)).toBe(true);
  });
});
