import type { PrismaClient } from "@/lib/generated/prisma/client";
import { poolOf } from "@/lib/db";
import { log } from "@/lib/log";
import type { TykClient } from "@/lib/tyk/client";
import { refreshUsage } from "@/lib/sync/usage/rollup";
import type { AccessConfig } from "./config";
import { deleteOldKey, recordPendingNewKeys } from "./rotation/finish";
import { expireDueRequests, markFirstUse, tidyRequests } from "./requests/job";
import { systemOnBehalfOf } from "./who";

// The access job: on its own timer (not a sync stage), it deletes old keys whose rotation grace
// period is over, deletes expired temporary keys, notes first use, lapses stale approvals, and
// refreshes the usage rollup behind the hygiene page. Every step is resumable: each picks up what is
// due from the database, so a tick that dies half way is finished by the next. One process at a
// time runs it (a session advisory lock), so a CLI and a server never both delete.

const JOB_LOCK = 0x746c_6a62;

export interface AccessJobReport {
  ran: boolean;
  rotationsCompleted: number;
  keysRecorded: number;
  requestsExpired: number;
  firstUses: number;
  usageRefreshed: boolean;
  errors: string[];
}

export interface AccessJobOptions {
  config: AccessConfig;
  tykClient: () => Promise<TykClient | null>;
  now?: () => Date;
}

/** One pass over everything due. Failures of one step are reported and do not stop the others. */
export async function runAccessJob(db: PrismaClient, opts: AccessJobOptions & { lastUsageRefresh?: Date | null }): Promise<AccessJobReport> {
  const report: AccessJobReport = { ran: false, rotationsCompleted: 0, keysRecorded: 0, requestsExpired: 0, firstUses: 0, usageRefreshed: false, errors: [] };
  const lock = await poolOf(db).connect();
  try {
    const got = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [JOB_LOCK]);
    if (!got.rows[0].ok) return report;
    report.ran = true;
    const now = opts.now?.() ?? new Date();
    const step = async (name: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (err) {
        report.errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    const client = await opts.tykClient();
    if (client) {
      await step("rotations", async () => {
        report.keysRecorded += await recordPendingNewKeys(db, client);
        const due = await db.rotation.findMany({
          where: { kind: "key", state: "grace", deleteAfter: { lte: now }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
          orderBy: { deleteAfter: "asc" }, take: 20,
        });
        for (const r of due) if ((await deleteOldKey(db, client, r.id, systemOnBehalfOf(r.requestedBy))) === "completed") report.rotationsCompleted++;
      });
      await step("expiry", async () => {
        report.requestsExpired += await expireDueRequests(db, client, now);
      });
    }
    await step("requests", () => tidyRequests(db, now));
    await step("first use", async () => {
      report.firstUses += await markFirstUse(db, now);
    });
    if (!opts.lastUsageRefresh || now.getTime() - opts.lastUsageRefresh.getTime() >= opts.config.usageRefreshMs) {
      await step("usage", async () => {
        await refreshUsage(db, { windowDays: opts.config.unusedDays, now });
        report.usageRefreshed = true;
      });
    }
    return report;
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [JOB_LOCK]).catch(() => {});
    lock.release();
  }
}

export interface AccessJobs {
  runNow(): Promise<AccessJobReport>;
  stop(): Promise<void>;
}

/** Runs the access job every `config.jobIntervalMs` (from the end of the last pass), starting after `firstDelayMs`. */
export function startAccessJobs(db: PrismaClient, opts: AccessJobOptions & { firstDelayMs?: number }): AccessJobs {
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<AccessJobReport> | null = null;
  let stopped = false;
  let lastUsageRefresh: Date | null = null;
  const pass = (): Promise<AccessJobReport> => {
    current ??= runAccessJob(db, { ...opts, lastUsageRefresh })
      .then((r) => {
        if (r.usageRefreshed) lastUsageRefresh = new Date();
        if (r.errors.length) log.warn({ errors: r.errors }, "access job: some steps failed (they are retried on the next pass)");
        return r;
      })
      .finally(() => {
        current = null;
        schedule(opts.config.jobIntervalMs);
      });
    return current;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void pass().catch((err) => log.error({ err: err instanceof Error ? err.message : String(err) }, "access job failed")), ms);
    timer.unref();
  };
  schedule(opts.firstDelayMs ?? opts.config.jobIntervalMs);
  return {
    runNow: pass,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.catch(() => {});
    },
  };
}
