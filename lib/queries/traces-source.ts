/**
 * The app's one trace source per process. One instance keeps the adapter's response cache warm
 * across page loads; every instance already shares the per-org rate limiter.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { traceSourceFromEnv } from "@/lib/sync/connectors";
import type { TraceSource } from "@/lib/traces/trace-source";

const holder = globalThis as unknown as { touchlineTraceSource?: { source: TraceSource; service: string } | null };

/** The configured trace source, or null when no backend is configured. */
export function appTraceSource(db: PrismaClient): { source: TraceSource; service: string } | null {
  if (holder.touchlineTraceSource === undefined) holder.touchlineTraceSource = traceSourceFromEnv(db);
  return holder.touchlineTraceSource;
}
