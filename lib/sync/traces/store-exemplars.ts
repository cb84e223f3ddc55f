/** Stores an endpoint's exemplars with who made each request, reading at most a few stored traces. */
import type { Trace, TraceExemplar } from "@/lib/traces/trace-source";
import { TraceAuthError } from "@/lib/traces/errors";
import type { SyncContext } from "../sync-run";
import { exemplarRow, pickExemplars, type IdentityResolver } from "./exemplars";
import type { EndpointRow, SyncTracesOptions } from "./sync-options";

export async function storeExemplars(
  opts: SyncTracesOptions, ctx: SyncContext, resolver: IdentityResolver, ep: EndpointRow, all: TraceExemplar[],
  limit = opts.tracesPerEndpoint ?? 6,
) {
  const { db, source, signal } = opts;
  if (!all.length) return;
  const stored = await db.exemplar.findMany({ where: { spanId: { in: all.map((e) => e.spanId) } }, select: { spanId: true } });
  const picked = pickExemplars(all, limit, new Set(stored.map((s) => s.spanId)));
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
