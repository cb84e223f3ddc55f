/**
 * Pulls per-minute latency and exemplar traces for every mapped endpoint from a TraceSource into
 * latency_points and exemplars. First run backfills 24 h; after that each endpoint resumes from its
 * own watermark (sync_state "traces:endpoint:<id>"), re-reading a short overlap because the backend
 * may still be ingesting the newest minutes. One endpoint failing is a fault (run "partial") and
 * leaves its stored data and watermark as they were; a rejected API key fails the whole run, and
 * so does a backend that answered none of the run's requests.
 *
 * Call budget (the Lightstep adapter allows 2 requests/s): where the backend groups by operation
 * (./grouped-sync) a run costs a fixed few calls per 24 h window plus exemplars for at most
 * `exemplarEndpointsPerRun` endpoints, whatever the number of endpoints; an incremental run without
 * a spike skips the operations list and exemplars (./run-cadence). Otherwise (the fallback
 * below) one timeseries call per endpoint per chunk (points and exemplars together) plus at most
 * `tracesPerEndpoint` stored-trace reads.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { nextOperation } from "@/lib/traces/endpoint-mapping";
import { TraceAuthError } from "@/lib/traces/errors";
import type { IdentityRule } from "@/lib/traces/identity-mapping";
import type { TraceExemplar } from "@/lib/traces/trace-source";
import { readState, runOptionsOf, withSyncRun, writeState, type SyncContext, type SyncResult } from "../sync-run";
import { IdentityResolver } from "./exemplars";
import { operationsRefreshDue, type OperationsRefreshState } from "./run-cadence";
import { syncGrouped } from "./grouped-sync";
import { syncDeploys } from "./deploys";
import { deriveRouteCandidates } from "./routes";
import { countedSource, type CallCounts } from "./counted-source";
import { storeExemplars } from "./store-exemplars";
import { upsertLatencyPoints } from "./store-points";
import { SPIKE_MIN_REQUESTS, votingP99 } from "./exemplar-budget";
import { defaultRequestBudget, orderStreamEndpoints, RequestBudget, type StreamCandidate } from "./request-budget";
import {
  chunkSize, chunkWindows, HOUR, MINUTE, readWatermarks, resumeFrom, watermarkName,
  type EndpointRow, type SyncTracesOptions, type Watermark,
} from "./sync-options";

export { chunkWindows, watermarkName, type SyncTracesOptions } from "./sync-options";

export async function syncTraces(opts: SyncTracesOptions): Promise<SyncResult> {
  return withSyncRun(opts.db, "traces", opts.trigger, async (ctx) => {
    const calls: CallCounts = { answered: 0, failed: 0 };
    await runSync({ ...opts, source: countedSource(opts.source, calls) }, ctx);
    // Every request failed: the backend is down, not partly there (each fault is already recorded).
    if (calls.failed > 0 && calls.answered === 0) throw new Error(`the trace backend answered none of the run's ${calls.failed} requests`);
  }, { ...runOptionsOf(opts), actor: opts.actor });
}

export const OPERATIONS_REFRESH_STATE = "traces:operations-refresh";

/** Which endpoints the mapping covers: any new (or removed) one makes the stored mapping stale. */
function endpointsDigest(endpoints: EndpointRow[]): string {
  const ids = endpoints.filter((e) => e.mappingSource !== "manual").map((e) => e.id).sort();
  return createHash("sha256").update(ids.join("\n")).digest("hex");
}

/**
 * Maps endpoints to the backend's operations. The list only changes with the estate, so it is read
 * on the first run, when an endpoint is new or unmapped, and otherwise at most once per
 * `operationsRefreshMs` (default 1 h): an incremental run spends its calls on new minutes.
 */
async function mapOperations(opts: SyncTracesOptions, ctx: SyncContext, endpoints: EndpointRow[], nowMs: number): Promise<boolean> {
  const digest = endpointsDigest(endpoints);
  const prev = await readState<OperationsRefreshState>(opts.db, OPERATIONS_REFRESH_STATE);
  const unmapped = endpoints.some((e) => !e.operation && e.mappingSource !== "manual");
  if (!operationsRefreshDue(prev, nowMs, digest, { unmapped, intervalMs: opts.operationsRefreshMs, force: opts.refreshOperations })) {
    ctx.count("operations_list_skipped");
    return false;
  }
  let known: string[] = [];
  let listed = true;
  try {
    known = await opts.source.listOperations(opts.service, { signal: opts.signal });
  } catch (err) {
    if (err instanceof TraceAuthError) throw err;
    // Map to the gateway's own operation names for now; no refresh is recorded, so the next run retries.
    ctx.fault("list operations", err);
    listed = false;
  }
  for (const ep of endpoints) {
    const op = nextOperation(ep, known);
    if (op === null) continue;
    await opts.db.endpoint.update({ where: { id: ep.id }, data: { operation: op } });
    ep.operation = op;
    ctx.count("operations_mapped");
  }
  if (listed) await writeState(opts.db, OPERATIONS_REFRESH_STATE, { at: new Date(nowMs).toISOString(), endpoints: digest } satisfies OperationsRefreshState);
  return listed;
}

async function loadRules(db: PrismaClient): Promise<IdentityRule[]> {
  const rows = await db.identityMapping.findMany({ orderBy: [{ priority: "asc" }, { createdAt: "asc" }] });
  return rows.map((r) => ({ attribute: r.attribute, field: r.field, priority: r.priority }));
}

async function runSync(opts: SyncTracesOptions, ctx: SyncContext): Promise<void> {
  const { db } = opts;
  const nowMs = Math.floor((opts.now ?? new Date()).getTime() / MINUTE) * MINUTE;
  const endpoints: EndpointRow[] = await db.endpoint.findMany({
    where: { api: { deletedAt: null } },
    select: { id: true, method: true, path: true, operation: true, mappingSource: true },
    orderBy: [{ apiId: "asc" }, { path: "asc" }, { method: "asc" }],
  });
  const refreshed = await mapOperations(opts, ctx, endpoints, nowMs);
  const resolver = new IdentityResolver(db, await loadRules(db));
  const mapped = endpoints.filter((e) => e.operation);
  await ctx.progress("endpoints", 0, mapped.length);
  // Deploys and routes wait for a run whose latency reads went through: a failing backend would
  // only fail them too, and the next run reads on from their watermarks.
  let faulted = false;
  const watched: SyncContext = { ...ctx, fault: (step, err) => { faulted = true; ctx.fault(step, err); } };
  const grouped = mapped.length ? await syncGrouped(opts, watched, resolver, mapped, nowMs) : null;
  if (!grouped) await syncEachEndpoint(opts, watched, resolver, mapped, nowMs);
  if (faulted) return;
  await ctx.progress("deploys", 0);
  await syncDeploys(opts, ctx, nowMs, { spiking: grouped?.spiking ?? false });
  if (refreshed) await deriveRouteCandidates(opts, ctx, nowMs);
}

/**
 * One stream per endpoint: a run spends its request budget on spikes first, then on the
 * longest-unsynced endpoints; the others wait for the next runs (which reach them first).
 */
async function syncEachEndpoint(opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, mapped: EndpointRow[], nowMs: number): Promise<void> {
  const { db, signal } = opts;
  const budget = new RequestBudget(opts.requestBudget ?? defaultRequestBudget(60));
  const marks = await readWatermarks(db, mapped.map((e) => watermarkName(e.id)));
  const byId = new Map(mapped.map((e) => [e.id, e]));
  const plan = orderStreamEndpoints(await streamCandidates(db, mapped, marks, nowMs));
  let done = 0;
  for (const { id, spiking } of plan) {
    signal?.throwIfAborted();
    const ep = byId.get(id)!;
    const mark = marks.get(watermarkName(id)) ?? null;
    const windows = chunkWindows(resumeFrom(opts, nowMs, mark), nowMs, chunkSize(opts));
    // An endpoint never read before costs up to two requests more: its stream is looked up in the
    // backend's list (re-read after each stream made) and created.
    if (!budget.take(windows.length + (mark ? 0 : STREAM_LOOKUP_REQUESTS))) {
      ctx.count("endpoints_deferred");
      continue;
    }
    try {
      await syncEndpoint(opts, ctx, resolver, ep, windows, spiking ? (opts.tracesPerEndpoint ?? 6) : 1, budget);
      ctx.count("endpoints");
    } catch (err) {
      if (err instanceof TraceAuthError || signal?.aborted) throw err;
      ctx.fault(`${ep.method} ${ep.path}`, err);
    }
    await ctx.progress("endpoints", ++done, mapped.length);
  }
}

/** What the plan needs of each endpoint: its newest stored p99s, its 24 h median, how far it is synced. */
async function streamCandidates(db: PrismaClient, eps: EndpointRow[], marks: Map<string, Watermark>, nowMs: number): Promise<StreamCandidate[]> {
  const rows = await db.$queryRaw<{ endpoint_id: string; med: number | null; recent: { p99: number | null; count: number }[] | null }[]>`
    SELECT endpoint_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY p99) FILTER (WHERE count >= ${SPIKE_MIN_REQUESTS}) AS med,
           json_agg(json_build_object('p99', p99, 'count', count) ORDER BY ts) FILTER (WHERE ts >= ${new Date(nowMs - RECENT_MS)}) AS recent
    FROM latency_points
    WHERE endpoint_id = ANY(${eps.map((e) => e.id)}::text[]) AND ts >= ${new Date(nowMs - 24 * HOUR)} AND p99 IS NOT NULL
    GROUP BY endpoint_id`;
  const stats = new Map(rows.map((r) => [r.endpoint_id, r]));
  return eps.map((e) => {
    const s = stats.get(e.id);
    const mark = marks.get(watermarkName(e.id));
    return { id: e.id, recentP99: votingP99(s?.recent ?? []), baselineP99: s?.med == null ? null : Number(s.med), syncedUntil: mark ? Date.parse(mark.until) : null };
  });
}

/** What resolving a never-read endpoint's stream may cost (LightstepTraceSource.streamFor): list, then create. */
const STREAM_LOOKUP_REQUESTS = 2;

/** The stored minutes a spike is judged on. */
const RECENT_MS = 30 * MINUTE;

async function syncEndpoint(
  opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, ep: EndpointRow, windows: { from: number; to: number }[],
  traces: number, budget: RequestBudget,
): Promise<void> {
  const { db, source, signal } = opts;
  const exemplars: TraceExemplar[] = [];
  for (const w of windows) {
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
  // Stored traces from what the budget has left: a spike's culprit candidates, one otherwise.
  const affordable = Math.min(traces, budget.remaining);
  if (affordable > 0) {
    await storeExemplars(opts, ctx, resolver, ep, exemplars, affordable);
    budget.take(Math.min(affordable, exemplars.length));
  }
}
