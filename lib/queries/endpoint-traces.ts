import type { PrismaClient } from "@/lib/generated/prisma/client";

const HOUR = 3_600_000;
export const TRACE_LIST_LIMIT = 15;

export interface TraceListItem {
  spanId: string;
  traceId: string;
  ts: string;
  durationMs: number;
  isError: boolean;
  keyAlias: string | null;
}

export interface TraceList {
  from: string;
  to: string;
  traces: TraceListItem[];
}

/**
 * An endpoint's slowest stored exemplars within an hour either side of `around` — the traces worth
 * opening next to the one on screen. Bounded by the (endpoint_id, ts) index and the limit.
 */
export async function slowestTraces(db: PrismaClient, endpointId: string, around: Date, limit = TRACE_LIST_LIMIT): Promise<TraceList> {
  const from = new Date(around.getTime() - HOUR), to = new Date(around.getTime() + HOUR);
  const rows = await db.exemplar.findMany({
    where: { endpointId, ts: { gte: from, lt: to } },
    orderBy: [{ durationMs: "desc" }, { spanId: "asc" }],
    take: limit,
    select: { spanId: true, traceId: true, ts: true, durationMs: true, isError: true, keyAlias: true },
  });
  return { from: from.toISOString(), to: to.toISOString(), traces: rows.map((r) => ({ ...r, ts: r.ts.toISOString() })) };
}
