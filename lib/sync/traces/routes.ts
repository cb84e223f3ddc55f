/**
 * Endpoint templates from the trace backend: the gateway's spans carry `http.route` (the template a
 * request matched) beside tyk.api.id and http.method. Routes of known APIs that no endpoint has yet
 * become candidates (source "trace_route") on the endpoint review screen, like the templates ingest
 * derives from observed paths. Read when the operations list is, at most hourly.
 */
import { TraceAuthError, TraceUnsupportedError } from "@/lib/traces/errors";
import { normalizeTemplate } from "@/lib/tyk/endpoints";
import { withListenPath } from "../analytics/match-endpoint";
import type { SyncContext } from "../sync-run";
import { HOUR, type SyncTracesOptions } from "./sync-options";

export async function deriveRouteCandidates(opts: SyncTracesOptions, ctx: SyncContext, nowMs: number): Promise<void> {
  const { db, source, signal } = opts;
  let routes;
  try {
    routes = await source.routes({ service: opts.service, from: new Date(nowMs - HOUR), to: new Date(nowMs) }, { signal });
  } catch (err) {
    if (err instanceof TraceAuthError || signal?.aborted) throw err;
    if (!(err instanceof TraceUnsupportedError)) ctx.fault("routes", err);
    return;
  }
  if (!routes.length) return;
  const [apis, endpoints] = await Promise.all([
    db.api.findMany({ where: { id: { in: [...new Set(routes.map((r) => r.apiId))] }, deletedAt: null }, select: { id: true, listenPath: true } }),
    db.endpoint.findMany({ select: { apiId: true, method: true, path: true } }),
  ]);
  const listen = new Map(apis.map((a) => [a.id, a.listenPath]));
  const have = new Set(endpoints.map((e) => `${e.apiId} ${e.method} ${normalizeTemplate(e.path)}`));
  for (const r of routes) {
    if (!listen.has(r.apiId)) continue;
    const path = withListenPath(r.route, listen.get(r.apiId));
    if (have.has(`${r.apiId} ${r.method} ${normalizeTemplate(path)}`)) continue;
    await db.endpointCandidate.upsert({
      where: { apiId_method_path: { apiId: r.apiId, method: r.method, path } },
      create: { apiId: r.apiId, method: r.method, path, source: "trace_route", requests: r.count, lastSeenAt: new Date(nowMs) },
      update: { lastSeenAt: new Date(nowMs) },
    });
    ctx.count("route_candidates");
  }
}
