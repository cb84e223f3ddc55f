import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { runStage, STAGE_KINDS, type RunStageOptions } from "./stages";
import type { SyncKind, SyncResult, SyncTrigger } from "./sync-run";

export type AllSyncResults = Partial<Record<SyncKind, SyncResult>>;

/**
 * One pass of every configured stage, one after the other in dependency order (Tyk's endpoints and
 * keys first), each within its own time budget: a stage that fails or runs out of time is recorded
 * so and the later ones still run. For the CLI and the first sync; the server's scheduler runs each
 * stage on its own timer instead.
 */
export async function runAllSyncs(
  db: PrismaClient,
  trigger: SyncTrigger,
  opts: Omit<RunStageOptions, "trigger"> & { onStageStart?: (kind: SyncKind) => void } = {},
): Promise<AllSyncResults> {
  const { onStageStart, ...stageOpts } = opts;
  const results: AllSyncResults = {};
  for (const kind of STAGE_KINDS) {
    if (opts.signal?.aborted) break;
    onStageStart?.(kind);
    const r = await runStage(db, kind, { ...stageOpts, trigger });
    if (!r) continue;
    results[kind] = r;
    log.info({ kind, runId: r.runId, status: r.status, counts: r.counts, errors: r.errors }, "sync finished");
  }
  return results;
}
