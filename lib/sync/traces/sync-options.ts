/** What both trace-sync paths (grouped and per-stream) share: options, endpoint rows, watermarks. */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TraceSource } from "@/lib/traces/trace-source";
import type { SyncRunOptions } from "../sync-run";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface SyncTracesOptions extends SyncRunOptions {
  db: PrismaClient;
  source: TraceSource;
  /** The gateway's service name in traces. */
  service: string;
  now?: Date;
  actor?: string;
  backfillMs?: number;
  /** Longest window one timeseries call covers (≤ 24 h keeps a call bounded). */
  chunkMs?: number;
  overlapMs?: number;
  tracesPerEndpoint?: number;
  /**
   * Grouped path: most endpoints whose exemplars are read per run (spiking ones first, then the
   * longest-unvisited). Each costs one stream call plus up to `tracesPerEndpoint` stored traces
   * for a spiking endpoint, one for the others. Default 2.
   */
  exemplarEndpointsPerRun?: number;
  /** Re-read the backend's operations list at most this often unless the estate changed (default 1 h). */
  operationsRefreshMs?: number;
  /** Read the operations list this run whatever the cadence says. */
  refreshOperations?: boolean;
  /**
   * Grouped path: endpoints without a spike take their exemplar turn at most this often (default
   * 15 min); spiking endpoints get theirs every run.
   */
  exemplarTurnMs?: number;
  /**
   * Per-stream path: the most backend requests one run makes (timeseries and stored traces),
   * spiking endpoints first (request-budget.ts). Default: what fits a 60 s interval.
   */
  requestBudget?: number;
  /** Without a spike, every service's versions (deploys) are scanned at most this often (default 15 min). */
  deployScanMs?: number;
}

export interface Watermark {
  until: string;
}

export interface EndpointRow {
  id: string;
  method: string;
  path: string;
  operation: string | null;
  mappingSource: string;
}

export const watermarkName = (endpointId: string) => `traces:endpoint:${endpointId}`;
/** Grouped path only: up to when an endpoint's exemplars were last read. */
export const exemplarMarkName = (endpointId: string) => `traces:exemplars:${endpointId}`;

/** Splits [from, to) into chunks of at most `size`, on minute boundaries. */
export function chunkWindows(from: number, to: number, size: number): { from: number; to: number }[] {
  const step = Math.max(MINUTE, Math.floor(size / MINUTE) * MINUTE);
  const out: { from: number; to: number }[] = [];
  for (let t = from; t < to; t += step) out.push({ from: t, to: Math.min(to, t + step) });
  return out;
}

export const chunkSize = (opts: SyncTracesOptions) => Math.min(opts.chunkMs ?? 24 * HOUR, 24 * HOUR);

/** Where an endpoint's next read starts: its watermark minus the overlap, never before the backfill. */
export function resumeFrom(opts: SyncTracesOptions, nowMs: number, mark: Watermark | null): number {
  const backfillFrom = nowMs - (opts.backfillMs ?? 24 * HOUR);
  return mark ? Math.max(backfillFrom, Date.parse(mark.until) - (opts.overlapMs ?? 2 * MINUTE)) : backfillFrom;
}

/** Many watermarks in one query (the per-endpoint readState would be a round trip each). */
export async function readWatermarks(db: PrismaClient, names: string[]): Promise<Map<string, Watermark>> {
  const rows = await db.syncState.findMany({ where: { name: { in: names } } });
  return new Map(rows.map((r) => [r.name, r.value as unknown as Watermark]));
}
