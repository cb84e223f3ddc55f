import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { tykClientFor } from "../connectors";
import { readState, runOptionsOf, withSyncRun, writeState, type SyncResult, type SyncRunOptions } from "../sync-run";
import { withPgClient } from "@/lib/pg-client";
import { detectTypeAnomalies } from "@/lib/anomalies/detect";
import { INGEST_LOCK, ingestAnalytics } from "./ingest";
import { rebuildAggregates } from "./rebuild-aggregates";
import { REMATCH_STATE, rematchUnmatched } from "./rematch";
import { applyRetention, firstKeptDay } from "./retention";

/** Marks that the stored records' hour aggregates exist (built once for records older than them). */
export const AGGREGATES_STATE = "analytics:hour-aggregates";
const AGGREGATES_VERSION = 2;

/**
 * Up to when requests can be matched against a synced configuration: the start of the last Tyk run
 * that finished (its endpoints and keys include everything created before it). Requests newer than
 * that wait for the next Tyk run, so a new key's first requests get its identity and a new
 * endpoint's first requests their endpoint. Null (no cap) without Tyk, before its first good run,
 * or when it has not finished one for three intervals: stale configuration beats stale traffic.
 */
export async function configurationAsOf(db: PrismaClient, now = new Date()): Promise<Date | null> {
  if (!(await tykClientFor(db))) return null;
  const last = await db.syncRun.findFirst({
    where: { kind: "tyk", status: { in: ["succeeded", "partial"] } },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  if (!last) return null;
  const staleAfterMs = 3 * env().TYK_SYNC_INTERVAL_SECONDS * 1000;
  return now.getTime() - last.startedAt.getTime() > staleAfterMs ? null : last.startedAt;
}

/**
 * Pulls analytics rows from Tyk Pump's table as one recorded run, reporting rows and batches as it
 * goes, then applies retention (rows of days past the raw horizon keep only their aggregates).
 */
export function syncAnalytics(db: PrismaClient, opts: SyncRunOptions): Promise<SyncResult> {
  const config = env();
  return withSyncRun(db, "analytics", opts.trigger, async (ctx) => {
    // Records stored before ingest wrote aggregates get theirs once (resumable: done when marked);
    // version 2 added endpoint_caller_minutes, so installs marked at version 1 rebuild once more.
    if (((await readState<{ version?: number }>(db, AGGREGATES_STATE))?.version ?? 0) < AGGREGATES_VERSION) {
      await ctx.progress("building the hour aggregates of stored records", 0);
      const rows = await withPgClient(config.DATABASE_URL, (c) => rebuildAggregates(c, undefined, INGEST_LOCK));
      ctx.set("records_aggregated", rows);
      await writeState(db, AGGREGATES_STATE, { version: AGGREGATES_VERSION, builtAt: new Date().toISOString() });
    }
    const until = await configurationAsOf(db);
    const policy = { rawDays: config.RAW_RETENTION_DAYS, aggregateDays: config.AGGREGATE_RETENTION_DAYS };
    const result = await ingestAnalytics({
      db,
      sourceUrl: config.TYK_ANALYTICS_DATABASE_URL!,
      databaseUrl: config.DATABASE_URL,
      signal: ctx.signal,
      until: until ?? undefined,
      rawFrom: new Date(firstKeptDay(new Date(), policy.rawDays)),
      onProgress: async (p) => {
        ctx.set("rows", p.rows);
        ctx.set("read", p.read);
        ctx.set("batches", p.batches);
        await ctx.progress(p.watermark ? `ingesting (up to ${p.watermark})` : "ingesting", p.read);
      },
    });
    ctx.set("rows", result.rows);
    ctx.set("read", result.read);
    ctx.set("batches", result.batches);
    ctx.set("rows_unmatched", result.unmatched);
    if (result.unmatched > 0) {
      ctx.warn("endpoints", `${result.unmatched} request${result.unmatched === 1 ? "" : "s"} matched no endpoint template and were stored without one: review the templates Touchline derived (Endpoints → Review derived templates)`);
    }
    ctx.set("rows_rematched", await rematchNewEndpoints(db));
    // After ingest committed: a failure here must not undo or fail the ingest; the watermark resumes it.
    try {
      const anomalies = await detectTypeAnomalies(db, { signal: ctx.signal });
      ctx.set("type_hours", anomalies.hours);
      ctx.set("anomalies", anomalies.anomalies);
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      ctx.warn("anomalies", `anomaly detection by user type failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const retention = await withPgClient(config.DATABASE_URL, (c) => applyRetention(c, policy));
    ctx.set("days_dropped", retention.droppedDays.length);
    ctx.set("aggregate_rows_expired", retention.aggregateRowsDeleted);
  }, runOptionsOf(opts));
}

/**
 * Rows stored without an endpoint get the endpoints created since the last pass (the Tyk sync found
 * paths for their API, or an admin accepted a derived template): once per new endpoint, not per run.
 */
async function rematchNewEndpoints(db: PrismaClient): Promise<number> {
  const state = await readState<{ at: string }>(db, REMATCH_STATE);
  const newest = await db.endpoint.findFirst({ orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  if (!newest || (state && Date.parse(state.at) >= newest.createdAt.getTime())) return 0;
  const apis = await db.endpoint.findMany({ where: state ? { createdAt: { gt: new Date(state.at) } } : {}, distinct: ["apiId"], select: { apiId: true } });
  const n = await rematchUnmatched(db, apis.map((a) => a.apiId));
  await writeState(db, REMATCH_STATE, { at: newest.createdAt.toISOString() });
  return n;
}
