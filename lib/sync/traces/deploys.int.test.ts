// Deploys from the trace backend, over HTTP against the Lightstep simulator: the trace sync learns
// the endpoint's upstream service from its exemplar traces, records a new service.version as a
// deploy (once), turns the gateway's http.route into endpoint candidates, and the chart's series
// API draws the deploy beside access changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { loadEndpointSeries } from "@/lib/investigation/endpoint-series";
import { LightstepTraceSource } from "@/lib/traces/lightstep/adapter";
import { prismaStreamStore } from "@/lib/traces/lightstep/stream-store";
import { startLightstepSimulator, type LightstepSimulator, type LightstepSimWorld } from "@/simulators/lightstep/server";
import type { SimRequest } from "@/simulators/world/types";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { syncTraces } from "./sync-traces";

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 19, 10, 0);
const DEPLOY = NOW - 40 * MIN;
const KEY = "deploys-test-key";

/** Orders API traffic for the last 3 h: v2.13.4 until DEPLOY, v2.14.0 from then on (slower); a route no endpoint has yet. */
function world(): LightstepSimWorld {
  const byMinute = new Map<number, SimRequest[]>();
  for (let m = NOW - 180 * MIN; m < NOW; m += MIN) {
    const list: SimRequest[] = [];
    for (let i = 0; i < 12; i++) {
      const lines = i === 11;
      const id = `${m.toString(16)}${i.toString(16).padStart(4, "0")}`.padStart(32, "0");
      const latency = (m >= DEPLOY ? 240 : 80) + i;
      list.push({
        id, ts: m + i * 5000, apiId: "api-orders", apiName: "Orders API", listenPath: "/orders/", orgId: "org", method: "GET",
        path: lines ? `/orders/${i}/lines` : `/orders/${i}`, template: lines ? "/orders/{id}/lines" : "/orders/{id}", status: 200, latencyMs: latency,
        upstreamMs: latency - 2, gatewayMs: 2, rawKey: "", keyHash: "a".repeat(64), keyAlias: "web", oauthClientId: "", policyIds: [],
        traceId: id, spanId: id.slice(16), environment: "production", ip: "10.0.0.1", userAgent: "t", serviceVersion: m >= DEPLOY ? "v2.14.0" : "v2.13.4",
      });
    }
    byMinute.set(m, list);
  }
  return { anchor: new Date(NOW), requestsInMinute: (m) => byMinute.get(m) ?? [], stateAt: () => ({ apis: [{ listenPath: "/orders/" }] }) };
}

let fresh: FreshDatabase, db: PrismaClient, sim: LightstepSimulator, source: LightstepTraceSource, endpointId: string;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = createDb(fresh.url);
  sim = await startLightstepSimulator({ world: world(), apiKey: KEY, org: "acme", project: "production", rateLimitPerSec: 100, now: () => NOW });
  source = new LightstepTraceSource({ baseUrl: sim.url, org: "acme", project: "production", apiKey: KEY, rateLimitPerSec: 100, streamStore: prismaStreamStore(db, "lightstep:acme/production") });
  await db.api.create({ data: { id: "api-orders", name: "Orders API", listenPath: "/orders/", definition: {} } });
  endpointId = (await db.endpoint.create({ data: { apiId: "api-orders", method: "GET", path: "/orders/{id}" } })).id;
}, 60_000);

afterAll(async () => {
  await sim?.close();
  await db?.$disconnect();
  await fresh?.drop();
});

describe("deploys from service.version", () => {
  it("links the endpoint to its upstream service and records the new version as one deploy at its first minute", async () => {
    const run = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", now: new Date(NOW) });
    expect(run.status).toBe("succeeded");
    expect(await db.endpointService.findMany({ select: { endpointId: true, service: true } })).toEqual([{ endpointId, service: "orders-service" }]);
    const deploys = await db.serviceDeploy.findMany();
    expect(deploys.map((d) => [d.service, d.version, d.previousVersion, d.deployedAt.getTime(), d.backend])).toEqual([["orders-service", "v2.14.0", "v2.13.4", DEPLOY, "lightstep"]]);
    expect(run.counts.deploys).toBe(1);
  });

  it("adds no deploy when the next run re-reads the same versions", async () => {
    await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", now: new Date(NOW + 5 * MIN), refreshOperations: true });
    expect(await db.serviceDeploy.count()).toBe(1);
  });

  it("offers the gateway's http.route that no endpoint has as a candidate template", async () => {
    expect(await db.endpointCandidate.findMany({ select: { apiId: true, method: true, path: true, source: true, status: true } }))
      .toEqual([{ apiId: "api-orders", method: "GET", path: "/orders/{id}/lines", source: "trace_route", status: "pending" }]);
  });

  it("draws the deploy on the endpoint's chart (series markers)", async () => {
    const series = await loadEndpointSeries(db, { endpointId, from: NOW - 120 * MIN, to: NOW });
    expect(series.markers).toEqual([expect.objectContaining({ kind: "deploy", action: "deploy", label: "orders-service v2.14.0", targetId: "orders-service", timeSource: "trace", actor: null, at: new Date(DEPLOY).toISOString(), diff: [{ path: "service.version", before: "v2.13.4", after: "v2.14.0" }] })]);
  });
});
