import pg from "pg";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { createTykClient } from "@/lib/tyk/client";
import { apisListSchema } from "@/lib/tyk/schema";
import { traceSourceFromEnv } from "@/lib/sync/connectors";

export const connectionTargets = ["tyk", "traces", "analytics"] as const;
export type ConnectionTarget = (typeof connectionTargets)[number];
export const connectionTestSchema = z.object({ target: z.enum(connectionTargets) });

export interface ConnectionTestResult {
  ok: boolean;
  latencyMs: number;
  message: string;
}

const TIMEOUT_MS = 5000;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function timed(run: () => Promise<string>): Promise<ConnectionTestResult> {
  const start = performance.now();
  try {
    const message = await run();
    return { ok: true, latencyMs: Math.round(performance.now() - start), message };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - start), message: describe(err) };
  }
}

/**
 * One live, read-only call to a configured upstream with a short timeout and no retries: the
 * Dashboard's API list, the trace backend's service list, or `SELECT` on Pump's table. Error
 * messages come from our connectors, which never include credentials.
 */
export function testConnection(db: PrismaClient, target: ConnectionTarget): Promise<ConnectionTestResult> {
  const config = env();
  if (target === "tyk") {
    if (!config.TYK_DASHBOARD_URL || !config.TYK_DASHBOARD_API_KEY) return Promise.resolve({ ok: false, latencyMs: 0, message: "not configured" });
    const client = createTykClient({ baseUrl: config.TYK_DASHBOARD_URL, apiKey: config.TYK_DASHBOARD_API_KEY, retries: 0, timeoutMs: TIMEOUT_MS });
    return timed(async () => {
      const res = await client.request({ path: "/api/apis", query: { p: 1 }, schema: apisListSchema });
      return `Dashboard answered: ${res.apis.length} API definition(s) on the first page`;
    });
  }
  if (target === "traces") {
    const traces = traceSourceFromEnv(db);
    if (!traces) return Promise.resolve({ ok: false, latencyMs: 0, message: "not configured" });
    return timed(async () => {
      const services = await traces.source.listServices({ signal: AbortSignal.timeout(TIMEOUT_MS) });
      const has = services.includes(traces.service);
      if (!has) throw new Error(`${traces.source.backend} answered, but the gateway service "${traces.service}" is not among its ${services.length} services`);
      return `${traces.source.backend} answered: ${services.length} service(s), including "${traces.service}"`;
    });
  }
  if (!config.TYK_ANALYTICS_DATABASE_URL) return Promise.resolve({ ok: false, latencyMs: 0, message: "not configured" });
  return timed(async () => {
    const client = new pg.Client({ connectionString: config.TYK_ANALYTICS_DATABASE_URL, connectionTimeoutMillis: TIMEOUT_MS, statement_timeout: TIMEOUT_MS });
    await client.connect();
    try {
      const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('tyk_analytics') IS NOT NULL AS present");
      if (!rows[0]?.present) throw new Error("connected, but the table tyk_analytics does not exist (is Tyk Pump's SQL pump writing here?)");
      return "connected; table tyk_analytics present";
    } finally {
      await client.end().catch(() => {});
    }
  });
}

/** Whether the Dashboard's audit log was readable on the last Tyk sync that reached that stage. */
export async function auditLogAvailability(db: PrismaClient): Promise<"available" | "unavailable" | "off" | "unknown"> {
  if (env().TYK_AUDIT_LOG === "off") return "off";
  const runs = await db.syncRun.findMany({ where: { kind: "tyk", status: { not: "running" } }, orderBy: { startedAt: "desc" }, take: 5, select: { counts: true } });
  for (const r of runs) {
    const counts = (r.counts ?? {}) as Record<string, number>;
    if (counts.audit_unsupported) return "unavailable";
    if ("audit_entries" in counts) return "available";
  }
  return (await db.tykAuditEntry.count()) > 0 ? "available" : "unknown";
}
