import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { LightstepTraceSource } from "@/lib/traces/lightstep/adapter";
import { prismaStreamStore } from "@/lib/traces/lightstep/stream-store";
import { startLightstepSimulator, type LightstepSimulator } from "@/simulators/lightstep/server";
import { createWorld } from "@/simulators/world";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { syncTraces, watermarkName } from "./sync-traces";

const KEY = "sync-test-key";
const world = createWorld({ seed: 42 });
const T = world.anchor.getTime();
const MIN = 60_000;
let fresh: FreshDatabase;
let db: PrismaClient;
let sim: LightstepSimulator;
let source: LightstepTraceSource;
let ordersEp: string;
let paymentsEp: string;
let manualEp: string;
let identityId: string;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = createDb(fresh.url);
  sim = await startLightstepSimulator({ world, apiKey: KEY, org: "acme", project: "production" });
  source = new LightstepTraceSource({
    baseUrl: sim.url,
    org: "acme",
    project: "production",
    apiKey: KEY,
    streamStore: prismaStreamStore(db, "lightstep:acme/production"),
  });
  const state = world.stateAt(world.anchor);
  for (const slug of ["/orders/", "/payments/"]) {
    const api = state.apis.find((a) => a.listenPath === slug)!;
    await db.api.create({ data: { id: api.id, name: api.name, listenPath: api.listenPath, definition: {} } });
  }
  const orders = state.apis.find((a) => a.listenPath === "/orders/")!;
  const payments = state.apis.find((a) => a.listenPath === "/payments/")!;
  ordersEp = (await db.endpoint.create({ data: { apiId: orders.id, method: "GET", path: "/orders" } })).id;
  paymentsEp = (await db.endpoint.create({ data: { apiId: payments.id, method: "GET", path: "/payments/{id}" } })).id;
  manualEp = (await db.endpoint.create({ data: { apiId: orders.id, method: "POST", path: "/orders", operation: null, mappingSource: "manual" } })).id;
  const culprit = state.keys.find((k) => k.alias === "globex-batch")!;
  identityId = (await db.identity.create({ data: { kind: "service", externalId: "globex-batch", name: "globex-batch", team: "globex" } })).id;
  await db.key.create({ data: { keyHash: culprit.hash, alias: culprit.alias, identityId, snapshot: {} } });
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await db?.$disconnect();
  await fresh?.drop();
});

describe("syncTraces", () => {
  it("backfills 24 h of minute latency and attributed exemplars", async () => {
    const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test" });
    expect(result.errors).toEqual([]);
    expect(result.status).toBe("succeeded");
    expect(sim.maxObservedRate()).toBeLessThanOrEqual(2);

    // Auto endpoints got their operation; the manual one was left alone (and so is not synced).
    const eps = await db.endpoint.findMany({ orderBy: { path: "asc" } });
    expect(eps.find((e) => e.id === ordersEp)?.operation).toBe("GET /orders");
    expect(eps.find((e) => e.id === manualEp)?.operation).toBeNull();
    expect(await db.traceStream.count()).toBe(2);

    const points = await db.latencyPoint.findMany({ where: { endpointId: ordersEp }, orderBy: { ts: "asc" } });
    expect(points.length).toBeGreaterThanOrEqual(1439);
    expect(points.length).toBeLessThanOrEqual(1441);
    const p99In = (from: number, to: number) => {
      const xs = points.filter((p) => p.ts.getTime() >= from && p.ts.getTime() < to && p.p99 !== null).map((p) => p.p99!).sort((a, b) => a - b);
      return xs[Math.floor(xs.length / 2)];
    };
    expect(p99In(T - 6 * 60 * MIN, T - 130 * MIN)).toBeLessThan(400);
    expect(p99In(T - 115 * MIN, T - 80 * MIN)).toBeGreaterThan(1000);
    expect(await db.latencyPoint.count({ where: { endpointId: paymentsEp } })).toBeGreaterThanOrEqual(1439);

    const exemplars = await db.exemplar.findMany({ where: { endpointId: ordersEp } });
    expect(exemplars.length).toBeGreaterThan(0);
    const culprit = exemplars.filter((e) => e.keyAlias === "globex-batch");
    expect(culprit.length).toBeGreaterThan(0);
    for (const e of culprit) {
      expect(e.keyHash).toBe(world.incident.culpritKeyHash);
      expect(e.identityId).toBe(identityId);
      expect(e.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(e.durationMs).toBeGreaterThan(500);
      expect((e.attributes as Record<string, unknown>)["tyk.api.apikey.alias"]).toBe("globex-batch");
    }
    const mark = await db.syncState.findUnique({ where: { name: watermarkName(ordersEp) } });
    expect(mark?.value).toMatchObject({ until: expect.any(String) });
  });

  it("runs incrementally from each endpoint's watermark", async () => {
    const before = await db.latencyPoint.count({ where: { endpointId: ordersEp } });
    sim.resetStats();
    const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test" });
    expect(result.status).toBe("succeeded");
    // Points for both endpoints come from the four grouped queries, each a few minutes long (the
    // deploy scan waits for a spike or a quarter-hour).
    const grouped = sim.requests().filter((r) => r.path.endsWith("/telemetry/query_timeseries"));
    expect(grouped).toHaveLength(4);
    // Exemplars: within the budget of two endpoints, only since the last read.
    const ts = sim.requests().filter((r) => r.path.endsWith("/timeseries") && r.path.includes("/streams/"));
    expect(ts.length).toBeLessThanOrEqual(2);
    for (const r of ts) {
      const q = new URLSearchParams(r.search);
      const span = Date.parse(q.get("youngest-time")!) - Date.parse(q.get("oldest-time")!);
      expect(span).toBeLessThanOrEqual(5 * MIN);
    }
    // No stream is created twice: ids come from the trace_streams table now.
    expect(sim.requests().some((r) => r.method === "POST" && r.path.endsWith("/streams"))).toBe(false);
    const after = await db.latencyPoint.count({ where: { endpointId: ordersEp } });
    expect(after - before).toBeLessThanOrEqual(3);
  });

  it("records a failing grouped query as a fault and keeps every endpoint's stored data; a run the backend answered nothing of fails", async () => {
    const count = () => db.latencyPoint.groupBy({ by: ["endpointId"], _count: true, orderBy: { endpointId: "asc" } });
    const marks = () => db.syncState.findMany({ where: { name: { startsWith: "traces:" } }, orderBy: { name: "asc" } });
    const [pointsBefore, marksBefore] = [await count(), await marks()];
    sim.setFault({ kind: "500", times: 20, path: "/telemetry/query_timeseries" });
    const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", now: new Date(Date.now() + 3 * MIN) });
    sim.setFault(null);
    // The grouped query was the run's only call: nothing was answered, so the run failed (and says why).
    expect(result.status).toBe("failed");
    expect(result.errors.map((e) => e.step)).toEqual(["latency (all operations)", "run"]);
    expect(result.errors[1].message).toMatch(/answered none of the run's 1 requests/);
    expect(await count()).toEqual(pointsBefore);
    expect(await marks()).toEqual(marksBefore);
  });

  it("is partial, not failed, when the backend answered some of the run's requests", async () => {
    // The operations list answers; the grouped queries do not.
    sim.setFault({ kind: "500", times: 20, path: "/telemetry/query_timeseries" });
    const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", refreshOperations: true, now: new Date(Date.now() + 4 * MIN) });
    sim.setFault(null);
    expect(result.status).toBe("partial");
    expect(result.errors.map((e) => e.step)).toEqual(["latency (all operations)"]);
  });

  it("records an endpoint whose exemplars fail as a fault and keeps its exemplar watermark", async () => {
    const mark = await db.syncState.findUnique({ where: { name: `traces:exemplars:${paymentsEp}` } });
    const paymentsStream = (await db.traceStream.findFirst({ where: { operation: "GET /payments/{id}" } }))!.streamId;
    sim.setFault({ kind: "500", times: 20, path: `/streams/${paymentsStream}/timeseries` });
    // exemplarTurnMs 0: payments (no spike) takes its exemplar turn in this run, not a quarter-hour later.
    const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", exemplarTurnMs: 0 });
    sim.setFault(null);
    expect(result.status).toBe("partial");
    expect(result.errors.map((e) => e.step)).toEqual(["GET /payments/{id}"]);
    expect((await db.syncState.findUnique({ where: { name: `traces:exemplars:${paymentsEp}` } }))?.value).toEqual(mark?.value);
  });
});
