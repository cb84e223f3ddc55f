import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { lightstepFromEnv } from "@/lib/traces/lightstep";
import type { TraceSource } from "@/lib/traces/trace-source";

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
