// The trace backend's view of a scenario: its requests as the Lightstep simulator's world (the
// gateway's root span and the upstream's child span per request, the upstream reporting its
// service.version), so the trace sync reads latency, exemplars and deploys over real HTTP.
import type { LightstepSimWorld } from "@/simulators/lightstep/server";
import type { SimRequest } from "@/simulators/world/types";
import type { ApiRef } from "./estate";
import { MINUTE, type GeneratedRequest } from "./traffic";

export function traceWorld(requests: GeneratedRequest[], apis: ApiRef[], orgId: string, anchor: number): LightstepSimWorld {
  const byMinute = new Map<number, SimRequest[]>();
  for (const r of requests) {
    const m = Math.floor(r.ts / MINUTE) * MINUTE;
    let list = byMinute.get(m);
    if (!list) byMinute.set(m, (list = []));
    list.push({
      id: r.spanId, ts: r.ts, apiId: r.endpoint.api.id, apiName: r.endpoint.api.name, listenPath: r.endpoint.api.listenPath, orgId,
      method: r.endpoint.method, path: r.path, template: r.endpoint.template, status: r.status, latencyMs: r.latencyMs,
      upstreamMs: r.upstreamMs, gatewayMs: r.gatewayMs, rawKey: "", keyHash: r.key.hash, keyAlias: r.alias, oauthClientId: r.oauthClientId,
      policyIds: r.key.policyIds, traceId: r.traceId, spanId: r.spanId, environment: "production", ip: "10.40.0.7", userAgent: `${r.caller}/1.0`,
      ...(r.serviceVersion ? { serviceVersion: r.serviceVersion } : {}),
    });
  }
  return {
    anchor: new Date(anchor),
    requestsInMinute: (m) => byMinute.get(m) ?? [],
    stateAt: () => ({ apis: apis.map((a) => ({ listenPath: a.listenPath })) }),
  };
}
