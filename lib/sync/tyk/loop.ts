import { db as defaultDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { log } from "@/lib/log";
import type { AuditMode } from "./stage-audit";
import { syncTyk } from "./sync";

export interface TykSyncLoopOptions {
  intervalSeconds: number;
  db?: PrismaClient;
  /** Default: from TYK_DASHBOARD_URL / TYK_DASHBOARD_API_KEY. */
  client?: TykClient;
  auditLog?: AuditMode;
}

export interface TykSyncLoop {
  /** Stops scheduling; an in-flight run is aborted. Resolves when it has ended. */
  stop(): Promise<void>;
}

/**
 * Runs syncTyk now and then every `intervalSeconds` (measured from the end of one run to the
 * start of the next, so slow runs never pile up). Used by the app server process.
 */
export function startTykSyncLoop(opts: TykSyncLoopOptions): TykSyncLoop {
  const db = opts.db ?? defaultDb;
  const client =
    opts.client ??
    createTykClient({ baseUrl: required("TYK_DASHBOARD_URL"), apiKey: required("TYK_DASHBOARD_API_KEY") });
  const auditLog = opts.auditLog ?? ((process.env.TYK_AUDIT_LOG as AuditMode | undefined) ?? "auto");
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();

  const tick = () => {
    current = syncTyk({ db, client, auditLog, trigger: "schedule", signal: abort.signal })
      .then((r) => log.info({ runId: r.runId, status: r.status, counts: r.counts, errors: r.errors }, "tyk sync finished"))
      .catch((err) => log.error({ err: err instanceof Error ? err.message : String(err) }, "tyk sync crashed"))
      .finally(() => {
        if (!abort.signal.aborted) timer = setTimeout(tick, opts.intervalSeconds * 1000);
      });
  };
  tick();
  return {
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (needed by the Tyk sync loop)`);
  return v;
}
