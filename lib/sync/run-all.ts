import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { ingestAnalytics } from "./analytics/ingest";
import { syncTyk } from "./tyk/sync";
import { syncTraces } from "./traces/sync-traces";
import { syncKeyActivity } from "./tyk-activity/sync-activity";
import { tykClientFor, traceSourceFor } from "./connectors";
import { withSyncRun, type SyncResult, type SyncTrigger } from "./sync-run";

export interface AllSyncResults {
  tyk?: SyncResult;
  analytics?: SyncResult;
  traces?: SyncResult;
}

/** Pulls analytics rows from Tyk Pump's table as one recorded run. */
export function syncAnalytics(db: PrismaClient, trigger: SyncTrigger, signal?: AbortSignal): Promise<SyncResult> {
  const sourceUrl = env().TYK_ANALYTICS_DATABASE_URL!;
  return withSyncRun(db, "analytics", trigger, async (ctx) => {
    const result = await ingestAnalytics({
      db,
      sourceUrl,
      databaseUrl: env().DATABASE_URL,
      signal,
      onProgress: (p) => ctx.progress("batches", p.batches),
    });
    ctx.count("rows", result.rows);
    ctx.count("batches", result.batches);
  }, { signal });
}

/**
 * One pass of every configured sync, in dependency order: Tyk first (endpoints, keys and
 * identities that the request records and traces are joined to), then analytics, then traces.
 * A failing stage is recorded in its own SyncRun and does not stop the later ones.
 */
export async function runAllSyncs(db: PrismaClient, trigger: SyncTrigger, signal?: AbortSignal): Promise<AllSyncResults> {
  const config = env();
  const results: AllSyncResults = {};
  const tyk = await tykClientFor(db);
  if (tyk) results.tyk = await syncTyk({ db, client: tyk, auditLog: config.TYK_AUDIT_LOG, trigger, signal });
  if (config.TYK_ANALYTICS_DATABASE_URL) results.analytics = await syncAnalytics(db, trigger, signal);
  // Without the Pump's database, the Dashboard's hourly per-key analytics are the only traffic we get.
  else if (tyk) results.analytics = await syncKeyActivity({ db, client: tyk, trigger, signal });
  const traces = await traceSourceFor(db);
  if (traces) results.traces = await syncTraces({ db, source: traces.source, service: traces.service, trigger, signal });
  for (const [kind, r] of Object.entries(results)) {
    log.info({ kind, runId: r.runId, status: r.status, counts: r.counts, errors: r.errors }, "sync finished");
  }
  return results;
}
