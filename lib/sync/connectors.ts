import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { lightstepFromEnv } from "@/lib/traces/lightstep";
import type { TraceSource } from "@/lib/traces/trace-source";
import { configuredKeys, loadConnection } from "@/lib/security/connections";

// A connection stored in the console (secret sealed at rest) wins over the env variables; without
// one, or without TOUCHLINE_ENCRYPTION_KEY to open it, the env configuration is used as before.
async function stored(db: PrismaClient, kind: "tyk" | "lightstep") {
  if (!configuredKeys()) return null;
  return loadConnection(db, kind);
}

/** The Tyk client: from the stored connection when there is one, else from env; null when neither is configured. */
export async function tykClientFor(db: PrismaClient): Promise<TykClient | null> {
  const c = await stored(db, "tyk");
  if (c) return createTykClient({ baseUrl: c.baseUrl, apiKey: c.secret });
  return tykClientFromEnv();
}

/** The trace source: from the stored Lightstep connection when there is one, else from env. */
export async function traceSourceFor(db: PrismaClient): Promise<{ source: TraceSource; service: string } | null> {
  const c = await stored(db, "lightstep");
  if (!c) return traceSourceFromEnv(db);
  if (env().TRACE_BACKEND !== "lightstep") return null;
  return lightstepFromEnv(db, {
    LIGHTSTEP_API_URL: c.baseUrl,
    LIGHTSTEP_ORG: c.settings.org,
    LIGHTSTEP_PROJECT: c.settings.project,
    LIGHTSTEP_API_KEY: c.secret,
    LIGHTSTEP_SERVICE: c.settings.service,
  });
}

/** The configured Tyk client, or null when Tyk is not configured. */
export function tykClientFromEnv(): TykClient | null {
  const config = env();
  if (!config.TYK_DASHBOARD_URL || !config.TYK_DASHBOARD_API_KEY) return null;
  return createTykClient({ baseUrl: config.TYK_DASHBOARD_URL, apiKey: config.TYK_DASHBOARD_API_KEY });
}

/** The configured trace source and the gateway's service name, or null when none is configured. */
export function traceSourceFromEnv(db: PrismaClient): { source: TraceSource; service: string } | null {
  const config = env();
  if (config.TRACE_BACKEND !== "lightstep" || !config.LIGHTSTEP_ORG || !config.LIGHTSTEP_PROJECT || !config.LIGHTSTEP_API_KEY) return null;
  return lightstepFromEnv(db);
}
