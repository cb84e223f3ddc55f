// The evidence an automatic change is judged on: the endpoint's pooled p99 in the M minutes before
// and after it (hour aggregates), and the 429s of callers who were within their normal peak in those
// minutes (request records; the peak is recommend.ts's, the p95 of the key's per-minute rate over the
// 7 days before the change), and how far the requests are ingested.
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { BIN_COUNT, histQuantile } from "@/lib/analysis/histogram";
import { at, readRows } from "@/lib/investigation/sql";
import { ANALYTICS_SYNC_STATE } from "@/lib/sync/analytics/ingest";
import type { MinuteLoad } from "../capacity";
import { loadCallerPeaks } from "../load-callers";
import { loadMinuteLoad } from "../load-minutes";
import type { ChangeEvidence } from "./decide";

const MIN = 60_000;
const DAY = 86_400_000;

/** The p99 of all the minutes' requests together (null without any). */
export function pooledP99(load: MinuteLoad): number | null {
  const h = new Float64Array(BIN_COUNT);
  let total = 0;
  for (let k = 0; k < load.cnt.length; k++) {
    h[load.bin[k]] += load.cnt[k];
    total += load.cnt[k];
  }
  const q = histQuantile(h, null, total, 0.99);
  return Number.isFinite(q) ? q : null;
}

/** End of the requests ingested from the Pump (its watermark), epoch ms. */
export async function ingestedThrough(db: PrismaClient): Promise<number | null> {
  const [row] = await readRows<{ t: number | null }>(db, Prisma.sql`
    SELECT (extract(epoch FROM (value->>'ts')::timestamptz) * 1000)::float8 AS t FROM sync_state WHERE name = ${ANALYTICS_SYNC_STATE}`);
  return row?.t ?? null;
}

interface KeyMinuteRow { key_hash: string; after: boolean; n: number; rejected: number }

/** Evidence for a change written at `changeAt`, over `minutes` before and after it. */
export async function loadChangeEvidence(db: PrismaClient, endpointId: string, changeAt: number, minutes: number, objectiveMs: number | null): Promise<ChangeEvidence> {
  const from = changeAt - minutes * MIN, to = changeAt + minutes * MIN;
  const [before, after, peaks, rows, dataThrough] = await Promise.all([
    loadMinuteLoad(db, endpointId, from, changeAt),
    loadMinuteLoad(db, endpointId, changeAt, to),
    loadCallerPeaks(db, endpointId, changeAt - 7 * DAY, changeAt),
    readRows<KeyMinuteRow>(db, Prisma.sql`
      SELECT c.key_hash, r.ts >= ${at(changeAt)} AS after, count(*)::float8 AS n, (count(*) FILTER (WHERE r.status = 429))::float8 AS rejected
      FROM request_records r JOIN request_callers c ON c.id = r.caller_id
      WHERE r.endpoint_id = ${endpointId} AND r.ts >= ${at(from)} AND r.ts < ${at(to)} AND c.key_hash IS NOT NULL
      GROUP BY c.key_hash, date_trunc('minute', r.ts), after
      HAVING count(*) FILTER (WHERE r.status = 429) > 0`),
    ingestedThrough(db),
  ]);
  const peak = new Map(peaks.map((p) => [p.keyHash, p]));
  let normalRejectedBefore = 0, normalRejectedAfter = 0;
  const callers = new Map<string, ChangeEvidence["normalCallers"][number]>();
  for (const r of rows) {
    const p = peak.get(r.key_hash);
    // A minute over the caller's normal peak is a flood: its 429s are what a limit is for.
    if (!p || r.n > p.p95PerMin) continue;
    if (!r.after) {
      normalRejectedBefore += r.rejected;
      continue;
    }
    normalRejectedAfter += r.rejected;
    const c = callers.get(r.key_hash) ?? { key: r.key_hash, label: p.label, rejected: 0, peakPerMin: p.p95PerMin };
    c.rejected += r.rejected;
    callers.set(r.key_hash, c);
  }
  return {
    objectiveMs, p99BeforeMs: pooledP99(before), p99AfterMs: pooledP99(after), normalRejectedBefore, normalRejectedAfter,
    normalCallers: [...callers.values()].sort((a, b) => b.rejected - a.rejected), dataThrough,
  };
}
