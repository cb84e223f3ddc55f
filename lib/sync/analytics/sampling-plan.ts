import type pg from "pg";
import { MAX_RATE, MIN_SAMPLED_RATE, TAIL_QUANTILE, type SamplingPlan } from "./sampler";

/**
 * What the hour aggregates already stored say of the busy endpoints of a batch starting after pump
 * time `cursor` (sampler.ts): the requests per second of those whose previous UTC hour averaged
 * ≥ MIN_SAMPLED_RATE (floored), and the TAIL_QUANTILE bin of their served requests over the 24
 * hours up to that hour. The sampler starts from these until the batch's own first minute ends.
 */
export async function loadSamplingPlan(client: pg.Client, cursor: string): Promise<SamplingPlan> {
  const { rows } = await client.query<{ endpoint_id: string; rate: number; tail_bin: number | null }>(`
    WITH prev AS (
      SELECT date_trunc('hour', $1::timestamptz AT TIME ZONE 'UTC') - interval '1 hour' AS hour
    ), busy AS (
      SELECT e.endpoint_id, floor((SELECT sum(x) FROM unnest(e.minute_requests) x) / 3600.0)::int AS rate
      FROM endpoint_hours e, prev WHERE e.hour = prev.hour
    ), bins AS (
      SELECT e.endpoint_id, h.bin, sum(h.n) AS n
      FROM endpoint_hours e JOIN busy b ON b.endpoint_id = e.endpoint_id AND b.rate >= $2, prev,
           unnest(e.hist_bins, e.hist_counts) AS h(bin, n)
      WHERE e.hour > prev.hour - interval '24 hours' AND e.hour <= prev.hour
      GROUP BY 1, 2
    ), cum AS (
      SELECT endpoint_id, bin, sum(n) OVER (PARTITION BY endpoint_id ORDER BY bin) AS below, sum(n) OVER (PARTITION BY endpoint_id) AS total FROM bins
    )
    SELECT b.endpoint_id, b.rate, (SELECT min(c.bin) FROM cum c WHERE c.endpoint_id = b.endpoint_id AND c.below >= $3 * c.total)::int AS tail_bin
    FROM busy b WHERE b.rate >= $2`, [cursor, MIN_SAMPLED_RATE, TAIL_QUANTILE]);
  const plan: SamplingPlan = new Map();
  for (const r of rows) if (r.tail_bin != null) plan.set(r.endpoint_id, { rate: Math.min(MAX_RATE, r.rate), tailBin: r.tail_bin });
  return plan;
}
