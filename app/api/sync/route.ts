import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { auditContextOf, recordSyncStart } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { syncScheduler } from "@/lib/jobs";
import { log } from "@/lib/log";
import { getSyncStatus } from "@/lib/queries/sync-status";
import { runAllSyncs } from "@/lib/sync/run-all";

export const dynamic = "force-dynamic";

/** Each stage's state, progress, running time, budget and next run (the same as /api/sync/status). */
export const GET = apiRoute({ permission: "console:read" }, async () => getSyncStatus(db, syncScheduler()?.schedule()));

// Starts a sync pass and returns at once; the browser follows it through GET /api/sync/status.
export const POST = apiRoute({ permission: "sync:run" }, async (ctx) => {
  await recordSyncStart(db, auditContextOf(ctx), { kinds: ["tyk", "analytics", "traces"], trigger: "manual" });
  const scheduler = syncScheduler();
  // The scheduler joins runs already in flight instead of starting second ones; without it
  // (e.g. jobs disabled) the per-kind advisory locks still keep runs from overlapping.
  const pass = scheduler ? scheduler.runNow() : runAllSyncs(db, "manual").then(() => undefined);
  pass.catch((err) => log.error({ err: err instanceof Error ? err.message : String(err) }, "manual sync failed"));
  return NextResponse.json({ started: true }, { status: 202 });
});
