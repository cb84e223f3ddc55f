/**
 * The stored trace Lightstep would hold for one gateway request: the gateway's root span (with the
 * Tyk span attributes an OpenTelemetry-enabled Tyk gateway emits) and one upstream child span.
 */
import { createHash } from "node:crypto";
import type { SimRequest } from "../world/types";
import { operationOf } from "./aggregates";

export function upstreamService(r: Pick<SimRequest, "listenPath">): string {
  const slug = r.listenPath.replace(/^\/+|\/+$/g, "").replace(/\//g, "-") || "root";
  return `${slug}-service`;
}

function childSpanId(spanId: string): string {
  return createHash("sha256").update(`${spanId}/upstream`).digest("hex").slice(0, 16);
}

/** Attributes of the gateway's root span. */
export function rootTags(r: SimRequest): Record<string, string | number | boolean> {
  const tags: Record<string, string | number | boolean> = {
    "tyk.api.id": r.apiId,
    "tyk.api.name": r.apiName,
    "tyk.api.path": r.listenPath,
    "tyk.api.orgid": r.orgId,
    "tyk.api.apikey": r.keyHash,
    "tyk.api.apikey.alias": r.keyAlias,
    "deployment.environment": r.environment,
    "http.method": r.method,
    "http.url": r.path,
    "http.route": r.template,
    "http.status_code": r.status,
    "http.user_agent": r.userAgent,
    "net.peer.ip": r.ip,
  };
  if (r.oauthClientId) tags["tyk.api.oauthid"] = r.oauthClientId;
  if (r.identityEmail) tags["enduser.id"] = r.identityEmail;
  if (r.customerId) tags["customer.id"] = r.customerId;
  if (r.status >= 500) tags.error = true;
  return tags;
}

export function storedTraceBody(r: SimRequest, gatewayService: string) {
  const startUs = r.ts * 1000;
  const childStartUs = startUs + Math.round((r.gatewayMs / 2) * 1000);
  const child = childSpanId(r.spanId);
  const upstream = upstreamService(r);
  return {
    data: [
      {
        type: "stored-trace",
        id: r.spanId,
        attributes: {
          spans: [
            {
              "span-id": r.spanId,
              "span-name": operationOf(r),
              "trace-id": r.traceId,
              "reporter-id": "reporter-gateway",
              "is-error": r.status >= 500,
              "start-time-micros": startUs,
              "end-time-micros": startUs + Math.round(r.latencyMs * 1000),
              tags: rootTags(r),
            },
            {
              "span-id": child,
              "span-name": `${r.method} ${r.template.slice(r.listenPath.replace(/\/$/, "").length) || "/"}`,
              "trace-id": r.traceId,
              "reporter-id": `reporter-${upstream}`,
              "is-error": r.status >= 500,
              "start-time-micros": childStartUs,
              "end-time-micros": childStartUs + Math.round(r.upstreamMs * 1000),
              tags: {
                parent_span_guid: r.spanId, "http.status_code": r.status, "deployment.environment": r.environment,
                ...(r.serviceVersion ? { "service.version": r.serviceVersion } : {}),
              },
            },
          ],
        },
        relationships: {
          reporters: [
            { "reporter-id": "reporter-gateway", attributes: { "lightstep.component_name": gatewayService, "lightstep.tracer_platform": "go" } },
            {
              "reporter-id": `reporter-${upstream}`,
              // OpenTelemetry resource attributes are the reporter's: service.version among them.
              attributes: { "lightstep.component_name": upstream, "lightstep.tracer_platform": "go", ...(r.serviceVersion ? { "service.version": r.serviceVersion } : {}) },
            },
          ],
        },
      },
    ],
  };
}
