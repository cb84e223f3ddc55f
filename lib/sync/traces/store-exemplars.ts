/**
 * Stores an endpoint's exemplars with who made each request, reading at most a few stored traces;
 * the services their spans show besides the gateway are the endpoint's upstream (endpoint_services,
 * whose deploys the run then reads: deploys.ts). Only exemplars slower than `floorMs` (when given)
 * are considered. Returns the durations of the exemplars it stored.
 */
import type { Trace, TraceExemplar } from "@/lib/traces/trace-source";
import { TraceAuthError } from "@/lib/traces/errors";
import type { SyncContext } from "../sync-run";
import { exemplarRow, pickExemplars, type IdentityResolver } from "./exemplars";
import type { EndpointRow, SyncTracesOptions } from "./sync-options";

export async function storeExemplars(
  opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, ep: EndpointRow, all: TraceExemplar[],
  limit = opts.tracesPerEndpoint ?? 6, floorMs: number | null = null,
): Promise<number[]> {
  const { db, source, signal } = opts;
  const fresh = floorMs === null ? all : all.filter((e) => e.durationMs > floorMs);
  if (!fresh.length) return [];
  const stored = await db.exemplar.findMany({ where: { spanId: { in: fresh.map((e) => e.spanId) } }, select: { spanId: true } });
  const picked = pickExemplars(fresh, limit, new Set(stored.map((s) => s.spanId)));
  let traceFailures = 0;
  const upstream = new Map<string, number>();
  for (const ex of picked) {
    let trace: Trace | null = null;
    try {
      trace = await source.getTrace(ex.handle ?? ex.spanId, { signal });
      ctx.count("traces_fetched");
      for (const span of trace.spans) if (span.service !== opts.service) upstream.set(span.service, Math.max(upstream.get(span.service) ?? 0, ex.ts));
    } catch (err) {
      if (err instanceof TraceAuthError || signal?.aborted) throw err;
      // Keep the exemplar (its latency is real) without attribution; report once per endpoint.
      if (traceFailures++ === 0) ctx.fault(`${ep.method} ${ep.path}: stored trace`, err);
    }
    const row = await exemplarRow(resolver, ep.id, ex, trace);
    await db.exemplar.upsert({ where: { spanId: row.spanId }, create: row, update: row });
    ctx.count("exemplars");
  }
  for (const [service, at] of upstream) {
    const lastSeenAt = new Date(at);
    await db.endpointService.upsert({ where: { endpointId_service: { endpointId: ep.id, service } }, create: { endpointId: ep.id, service, lastSeenAt }, update: { lastSeenAt } });
  }
  return picked.map((e) => e.durationMs);
}
