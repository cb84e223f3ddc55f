/**
 * The common case: points for every mapped endpoint from one set of service-wide queries grouped
 * by operation (Lightstep's unified query: four calls per window however many endpoints there
 * are), then exemplars for a budgeted few endpoints, spiking ones first. Watermarks stay per
 * endpoint, so a new endpoint backfills and an interrupted run resumes exactly as before.
 */
import { TraceAuthError, TraceUnsupportedError } from "@/lib/traces/errors";
import type { LatencyPoint, OperationLatency, TraceExemplar } from "@/lib/traces/trace-source";
import { readState, writeState, type SyncContext } from "../sync-run";
import { chooseExemplarEndpoints, SPIKE_MIN_REQUESTS, votingP99 } from "./exemplar-budget";
import { heldAfter, spikeFloorMs, type IdentityResolver } from "./exemplars";
import { exemplarTurnDue, type ExemplarTurnState } from "./run-cadence";
import { storeExemplars } from "./store-exemplars";
import { upsertLatencyPoints } from "./store-points";
import {
  chunkSize, chunkWindows, exemplarMarkName, HOUR, MINUTE, readWatermarks, resumeFrom, watermarkName,
  type EndpointRow, type SyncTracesOptions, type Watermark,
} from "./sync-options";

const GROUPED_STEP = "latency (all operations)";
export const EXEMPLAR_TURN_STATE = "traces:exemplar-turn";

/** The exemplar watermark; while the endpoint spikes, the durations of the slowest exemplars held for the spike. */
interface ExemplarMark extends Watermark {
  spikeHeldMs?: number[];
}

/** Empty minutes: what a stream timeseries reports for an operation without spans. */
function emptyPoints(from: number, to: number): LatencyPoint[] {
  const out: LatencyPoint[] = [];
  for (let ts = from; ts < to; ts += MINUTE) out.push({ ts, p50: null, p95: null, p99: null, count: 0, errors: 0 });
  return out;
}

/**
 * Null when the backend cannot group by operation (nothing written): use the per-stream path. Else
 * whether an endpoint spiked (its exemplars were read as a spike's).
 */
export async function syncGrouped(opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, mapped: EndpointRow[], nowMs: number): Promise<{ spiking: boolean } | null> {
  const { db, source, signal } = opts;
  const marks = await readWatermarks(db, mapped.map((e) => watermarkName(e.id)));
  const fromOf = new Map(mapped.map((e) => [e.id, resumeFrom(opts, nowMs, marks.get(watermarkName(e.id)) ?? null)]));
  const from = Math.min(...fromOf.values());
  const written = new Map<string, LatencyPoint[]>(mapped.map((e) => [e.id, []]));
  const failed = new Set<string>();
  const windows = chunkWindows(from, nowMs, chunkSize(opts));
  for (const [i, w] of windows.entries()) {
    signal?.throwIfAborted();
    let series: OperationLatency[];
    try {
      series = await source.latencyByOperation({ service: opts.service, from: new Date(w.from), to: new Date(w.to), resolutionMs: MINUTE }, { signal });
    } catch (err) {
      if (err instanceof TraceUnsupportedError && i === 0) return null;
      if (err instanceof TraceAuthError || signal?.aborted) throw err;
      // Nothing of this window is written and no watermark moves: the next run re-reads from here.
      ctx.fault(GROUPED_STEP, err);
      return { spiking: false };
    }
    const byOp = new Map(series.map((s) => [s.operation, s.points]));
    for (const [n, ep] of mapped.entries()) {
      const epFrom = Math.max(w.from, fromOf.get(ep.id)!);
      if (failed.has(ep.id) || epFrom >= w.to) continue;
      // Only whole minutes inside the window: a backend may pad the last window past `to`.
      const points = (byOp.get(ep.operation!) ?? emptyPoints(w.from, w.to)).filter((p) => p.ts >= epFrom && p.ts < w.to);
      try {
        ctx.count("latency_points", await upsertLatencyPoints(db, ep.id, points));
        await writeState(db, watermarkName(ep.id), { until: new Date(w.to).toISOString() } satisfies Watermark);
        written.get(ep.id)!.push(...points);
      } catch (err) {
        if (signal?.aborted) throw err;
        failed.add(ep.id);
        ctx.fault(`${ep.method} ${ep.path}`, err);
      }
      if (i === windows.length - 1) await ctx.progress("endpoints", n + 1, mapped.length);
    }
  }
  ctx.count("endpoints", mapped.length - failed.size);
  ctx.count("latency_calls", windows.length);
  return { spiking: await syncExemplars(opts, ctx, resolver, mapped.filter((e) => !failed.has(e.id)), written, nowMs) };
}

/**
 * Median stored p99 per endpoint over the last day: the baseline a spike is measured against. Only
 * minutes that can vote (votingP99) count, so a sparse endpoint's busy minutes are measured against
 * its busy minutes, not against single requests.
 */
async function baselines(opts: SyncTracesOptions, ids: string[], nowMs: number): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await opts.db.$queryRaw<{ endpoint_id: string; med: number }[]>`
    SELECT endpoint_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY p99) AS med
    FROM latency_points
    WHERE endpoint_id = ANY(${ids}::text[]) AND ts >= ${new Date(nowMs - 24 * HOUR)} AND p99 IS NOT NULL AND count >= ${SPIKE_MIN_REQUESTS}
    GROUP BY endpoint_id`;
  return new Map(rows.map((r) => [r.endpoint_id, Number(r.med)]));
}

/** Reads exemplars for a budgeted few endpoints; whether one of them spiked. */
async function syncExemplars(
  opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, eps: EndpointRow[], written: Map<string, LatencyPoint[]>, nowMs: number,
): Promise<boolean> {
  const { db, source, signal } = opts;
  const budget = opts.exemplarEndpointsPerRun ?? 2;
  if (budget <= 0 || !eps.length) return false;
  const base = await baselines(opts, eps.map((e) => e.id), nowMs);
  const marks = (await readWatermarks(db, eps.map((e) => exemplarMarkName(e.id)))) as Map<string, ExemplarMark>;
  const turnDue = exemplarTurnDue(await readState<ExemplarTurnState>(db, EXEMPLAR_TURN_STATE), nowMs, opts.exemplarTurnMs);
  const picked = new Map(
    chooseExemplarEndpoints(
      eps.map((e) => {
        const mark = marks.get(exemplarMarkName(e.id));
        return { id: e.id, recentP99: votingP99(written.get(e.id)!), baselineP99: base.get(e.id) ?? null, exemplarsUntil: mark ? Date.parse(mark.until) : null };
      }),
      budget,
    )
      // Between turns only a spike is worth the calls: a turn merely keeps exemplars fresh.
      .filter((p) => turnDue || p.spiking)
      .map((p) => [p.id, p.spiking]),
  );
  if (!turnDue) ctx.count("exemplar_turn_skipped");
  for (const ep of eps.filter((e) => picked.has(e.id))) {
    signal?.throwIfAborted();
    try {
      const from = resumeFrom(opts, nowMs, marks.get(exemplarMarkName(ep.id)) ?? null);
      const exemplars: TraceExemplar[] = [];
      for (const w of chunkWindows(from, nowMs, chunkSize(opts))) {
        const res = await source.latencyWithExemplars(
          { service: opts.service, operation: ep.operation!, from: new Date(w.from), to: new Date(w.to), resolutionMs: MINUTE },
          { signal },
        );
        exemplars.push(...res.exemplars.filter((e) => e.ts >= w.from && e.ts < w.to));
      }
      // A turn (no spike) keeps one fresh exemplar; a spike gets the full set of culprit candidates,
      // and while it lasts only requests slower than that set (exemplars.ts spikeFloorMs).
      const traces = opts.tracesPerEndpoint ?? 6;
      const spiking = picked.get(ep.id)!;
      const held = spiking ? marks.get(exemplarMarkName(ep.id))?.spikeHeldMs : undefined;
      const floorMs = spikeFloorMs(held, traces);
      if (floorMs !== null) ctx.count("exemplar_spike_continued");
      const added = await storeExemplars(opts, ctx, resolver, ep, exemplars, spiking ? traces : Math.min(1, traces), floorMs);
      const mark: ExemplarMark = { until: new Date(nowMs).toISOString(), ...(spiking ? { spikeHeldMs: heldAfter(held, added, traces) } : {}) };
      await writeState(db, exemplarMarkName(ep.id), mark);
      ctx.count("exemplar_endpoints");
    } catch (err) {
      if (err instanceof TraceAuthError || signal?.aborted) throw err;
      ctx.fault(`${ep.method} ${ep.path}`, err);
    }
  }
  // A turn is taken when a non-spiking endpoint was picked (a spike-only run leaves the turn due).
  if (turnDue && [...picked.values()].some((spiking) => !spiking)) {
    await writeState(db, EXEMPLAR_TURN_STATE, { at: new Date(nowMs).toISOString() } satisfies ExemplarTurnState);
  }
  return [...picked.values()].some(Boolean);
}
