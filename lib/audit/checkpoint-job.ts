import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { configuredSink } from "./checkpoint";
import { configuredAuditKeys } from "./record";
import { AuditChainBroken, writeCheckpoint } from "./verify";

const holder = globalThis as unknown as { touchlineAuditCheckpoints?: NodeJS.Timeout };

/**
 * Signs a checkpoint of the audit chain now and every `intervalSeconds` (only when rows were added).
 * Rows deleted within one interval after they were written are the most a database writer can hide.
 */
export function startAuditCheckpoints(db: PrismaClient, intervalSeconds: number): void {
  if (holder.touchlineAuditCheckpoints) return;
  if (!configuredAuditKeys()) {
    log.warn("TOUCHLINE_AUDIT_KEY is not set: the audit trail is a plain sha256 chain and no checkpoints are written");
    return;
  }
  const sink = configuredSink();
  const tick = async () => {
    try {
      const claim = await writeCheckpoint(db, { sink });
      if (claim) log.info({ rows: claim.rows, headId: claim.headId, sink: sink.where }, "audit checkpoint signed");
    } catch (err) {
      // A broken chain is an alarm for whoever watches the logs; the checkpoint is not written over it.
      const level = err instanceof AuditChainBroken ? "error" : "warn";
      log[level]({ err: err instanceof Error ? err.message : String(err) }, "audit checkpoint not written");
    }
  };
  void tick();
  holder.touchlineAuditCheckpoints = setInterval(() => void tick(), intervalSeconds * 1000);
  holder.touchlineAuditCheckpoints.unref();
}
