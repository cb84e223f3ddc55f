import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { tykClientFor } from "@/lib/sync/connectors";
import { startJobLoop, type JobLoop } from "@/lib/sync/scheduler";
import { evaluateAutomaticLimits } from "./evaluate";

/** Automatic limit mode on the scheduler, as its own job: every tick evaluates the endpoints that are due. */
export function startAutoLimitsJob(db: PrismaClient, intervalSeconds: number): JobLoop {
  return startJobLoop("limits-auto", intervalSeconds, async () => {
    const client = await tykClientFor(db);
    if (!client) return;
    const results = await evaluateAutomaticLimits(db, client);
    const acted = Object.values(results ?? {}).flat().filter((d) => d.kind === "change" || d.kind === "rollback" || d.kind === "skip");
    if (acted.length) log.info({ decisions: acted }, "automatic limit mode acted");
  });
}
