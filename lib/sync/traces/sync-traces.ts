/**
 * Pulls per-minute latency and exemplar traces for every mapped endpoint from a TraceSource into
 * latency_points and exemplars. First run backfills 24 h; after that each endpoint resumes from its
 * own watermark (sync_state "traces:endpoint:<id>"), re-reading a short overlap because the backend
 * may still be ingesting the newest minutes. One endpoint failing is a fault (run "partial") and
 * leaves its stored data and watermark as they were; a rejected API key fails the whole run.
 *
 * Call budget (the Lightstep adapter allows 2 requests/s): one timeseries call per endpoint per
 * chunk (points and exemplars together) plus at most `tracesPerEndpoint` stored-trace reads.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { nextOperation } from "@/lib/traces/endpoint-mapping";
import { TraceAuthError } from "@/lib/traces/errors";
import type { IdentityRule } from "@/lib/traces/identity-mapping";
import type { Trace, TraceExemplar, TraceSource } from "@/lib/traces/trace-source";
import { readState, withSyncRun, writeState, type SyncContext, type SyncResult, type SyncTrigger } from "../sync-run";
import { exemplarRow, IdentityResolver, pickExemplars } from "./exemplars";
import { upsertLatencyPoints } from "./store-points";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SyncTracesOptions {
  db: PrismaClient;
  source: TraceSource;
  /** The gateway's service name in traces. */
  service: string;
  trigger: SyncTrigger;
  now?: Date;
  signal?: AbortSignal;
  actor?: string;
  backfillMs?: number;
  /** Longest window one timeseries call covers (≤ 24 h keeps a call bounded). */
  chunkMs?: number;
  overlapMs?: number;
  tracesPerEndpoint?: number;
}

interface Watermark {
  until: string;
}

interface EndpointRow {
  id: string;
  method: string;
  path: string;
  operation: string | null;
  mappingSource: string;
}

export const watermarkName = (endpointId: string) => `traces:endpoint:${endpointId}`;

/** Splits [from, to) into chunks of at most `size`, on minute boundaries. */
export function chunkWindows(from: number, to: number, size: number): { from: number; to: number }[] {
  const step = Math.max(MINUTE, Math.floor(size / MINUTE) * MINUTE);
  const out: { from: number; to: number }[] = [];
  for (let t = from; t < to; t += step) out.push({ from: t, to: Math.min(to, t + step) });
  return out;
}

export async function syncTraces(opts: SyncTracesOptions): Promise<SyncResult> {
  return withSyncRun(opts.db, "traces", opts.trigger, (ctx) => runSync(opts, ctx), { actor: opts.actor, signal: opts.signal });
}

async function mapOperations(opts: SyncTracesOptions, ctx: SyncContext, endpoints: EndpointRow[]): Promise<void> {
  let known: string[] = [];
  try {
    known = await opts.source.listOperations(opts.service, { signal: opts.signal });
  } catch (err) {
    if (err instanceof TraceAuthError) throw err;
    ctx.fault("list operations", err);
  }
  for (const ep of endpoints) {
    const op = nextOperation(ep, known);
    if (op === null) continue;
    await opts.db.endpoint.update({ where: { id: ep.id }, data: { operation: op } });
    ep.operation = op;
    ctx.count("operations_mapped");
  }
}

async function loadRules(db: PrismaClient): Promise<IdentityRule[]> {
  const rows = await db.identityMapping.findMany({ orderBy: [{ priority: "asc" }, { createdAt: "asc" }] });
  return rows.map((r) => ({ attribute: r.attribute, field: r.field, priority: r.priority }));
}

async function runSync(opts: SyncTracesOptions, ctx: SyncContext): Promise<void> {
  const { db, signal } = opts;
  const nowMs = Math.floor((opts.now ?? new Date()).getTime() / MINUTE) * MINUTE;
  const endpoints: EndpointRow[] = await db.endpoint.findMany({
    where: { api: { deletedAt: null } },
    select: { id: true, method: true, path: true, operation: true, mappingSource: true },
    orderBy: [{ apiId: "asc" }, { path: "asc" }, { method: "asc" }],
  });
  await mapOperations(opts, ctx, endpoints);
  const resolver = new IdentityResolver(db, await loadRules(db));
  const mapped = endpoints.filter((e) => e.operation);
  await ctx.progress("endpoints", 0, mapped.length);
  for (const [i, ep] of mapped.entries()) {
    signal?.throwIfAborted();
    try {
      await syncEndpoint(opts, ctx, resolver, ep, nowMs);
      ctx.count("endpoints");
    } catch (err) {
      if (err instanceof TraceAuthError || signal?.aborted) throw err;
      ctx.fault(`${ep.method} ${ep.path}`, err);
    }
    await ctx.progress("endpoints", i + 1, mapped.length);
  }
}

async function syncEndpoint(opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, ep: EndpointRow, nowMs: number): Promise<void> {
  const { db, source, signal } = opts;
  const mark = await readState<Watermark>(db, watermarkName(ep.id));
  const backfillFrom = nowMs - (opts.backfillMs ?? 24 * HOUR);
  const from = mark ? Math.max(backfillFrom, Date.parse(mark.until) - (opts.overlapMs ?? 2 * MINUTE)) : backfillFrom;
  const exemplars: TraceExemplar[] = [];
  for (const w of chunkWindows(from, nowMs, Math.min(opts.chunkMs ?? 24 * HOUR, 24 * HOUR))) {
    const res = await source.latencyWithExemplars(
      { service: opts.service, operation: ep.operation!, from: new Date(w.from), to: new Date(w.to), resolutionMs: MINUTE },
      { signal },
    );
    // Only whole minutes inside the window: a backend may pad the last window past `to`.
    const points = res.points.filter((p) => p.ts >= w.from && p.ts < w.to);
    ctx.count("latency_points", await upsertLatencyPoints(db, ep.id, points));
    exemplars.push(...res.exemplars.filter((e) => e.ts >= w.from && e.ts < w.to));
    await writeState(db, watermarkName(ep.id), { until: new Date(w.to).toISOString() } satisfies Watermark);
  }
  await storeExemplars(opts, ctx, resolver, ep, exemplars);
}

async function storeExemplars(opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, ep: EndpointRow, all: TraceExemplar[]) {
  const { db, source, signal } = opts;
  if (!all.length) return;
  const stored = await db.exemplar.findMany({ where: { spanId: { in: all.map((e) => e.spanId) } }, select: { spanId: true } });
  const picked = pickExemplars(all, opts.tracesPerEndpoint ?? 6, new Set(stored.map((s) => s.spanId)));
  let traceFailures = 0;
  for (const ex of picked) {
    let trace: Trace | null = null;
    try {
      trace = await source.getTrace(ex.handle ?? ex.spanId, { signal });
      ctx.count("traces_fetched");
    } catch (err) {
      if (err instanceof TraceAuthError || signal?.aborted) throw err;
      // Keep the exemplar (its latency is real) without attribution; report once per endpoint.
      if (traceFailures++ === 0) ctx.fault(`${ep.method} ${ep.path}: stored trace`, err);
    }
    const row = await exemplarRow(resolver, ep.id, ex, trace);
    await db.exemplar.upsert({ where: { spanId: row.spanId }, create: row, update: row });
    ctx.count("exemplars");
  }
}
