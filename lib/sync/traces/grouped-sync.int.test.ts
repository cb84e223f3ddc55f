import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TraceUnsupportedError } from "@/lib/traces/errors";
import { LightstepTraceSource } from "@/lib/traces/lightstep/adapter";
import { prismaStreamStore } from "@/lib/traces/lightstep/stream-store";
import { startLightstepSimulator, type LightstepSimulator } from "@/simulators/lightstep/server";
import { createWorld } from "@/simulators/world";
import { freshDatabases } from "@/tests/helpers/db";
import { syncTraces } from "./sync-traces";

// The grouped path: backend calls per run do not grow with the number of endpoints, and the
// incident endpoint still gets its points and a culprit exemplar in the first run.
const KEY = "grouped-sync-key";
const world = createWorld({ seed: 42 });
const MIN = 60_000;
let sim: LightstepSimulator;
const opened = freshDatabases();

beforeAll(async () => {
  // A high limit keeps the test quick; the 2 requests/s limit is covered by sync-traces.int.test.ts.
  sim = await startLightstepSimulator({ world, apiKey: KEY, org: "acme", project: "production", rateLimitPerSec: 1_000 });
});

afterAll(async () => {
  await sim?.close();
  await opened.dropAll();
});

/** How many endpoints the world's APIs declare. */
const WORLD_ENDPOINTS = world.stateAt(world.anchor).apis.reduce((n, a) => n + a.endpoints.length, 0);

/** Every endpoint of the world, plus quiet ones (mapped, no spans) up to `total`. */
async function estate(total: number) {
  const { db } = await opened.create();
  const state = world.stateAt(world.anchor);
  let n = 0;
  let orders = "";
  for (const api of state.apis) {
    await db.api.create({ data: { id: api.id, name: api.name, listenPath: api.listenPath, definition: {} } });
    for (const ep of api.endpoints) {
      const row = await db.endpoint.create({ data: { apiId: api.id, method: ep.method, path: ep.template } });
      if (ep.method === "GET" && ep.template === "/orders") orders = row.id;
      n++;
    }
  }
  for (let i = 0; n < total; i++, n++) await db.endpoint.create({ data: { apiId: state.apis[i % state.apis.length].id, method: "GET", path: `/quiet/${i}/status` } });
  const culprit = state.keys.find((k) => k.alias === "globex-batch")!;
  const identity = await db.identity.create({ data: { kind: "service", externalId: "globex-batch", name: "globex-batch", team: "globex" } });
  await db.key.create({ data: { keyHash: culprit.hash, alias: culprit.alias, identityId: identity.id, snapshot: {} } });
  return { db, orders, endpoints: n };
}

/** An account without the unified query API. */
class StreamsOnlySource extends LightstepTraceSource {
  override async latencyByOperation(): Promise<never> {
    throw new TraceUnsupportedError("no unified query");
  }
  override async serviceVersions(): Promise<never> {
    throw new TraceUnsupportedError("no unified query");
  }
  override async routes(): Promise<never> {
    throw new TraceUnsupportedError("no unified query");
  }
}

async function firstRun(total: number, Source = LightstepTraceSource) {
  const { db, orders, endpoints } = await estate(total);
  const source = new Source({
    baseUrl: sim.url, org: "acme", project: "production", apiKey: KEY, rateLimitPerSec: 1_000,
    streamStore: prismaStreamStore(db, "lightstep:acme/production"),
  });
  sim.resetStats();
  const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", exemplarEndpointsPerRun: 1 });
  const calls = sim.requests();
  return { db, orders, endpoints, result, calls };
}

/** A 14-endpoint estate synced at chosen times (one exemplar endpoint a run); each run's backend calls. */
async function timedRuns() {
  const { db, orders } = await estate(14);
  const source = new LightstepTraceSource({
    baseUrl: sim.url, org: "acme", project: "production", apiKey: KEY, rateLimitPerSec: 1_000,
    streamStore: prismaStreamStore(db, "lightstep:acme/production"),
  });
  const run = async (nowMs: number) => {
    sim.resetStats();
    const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", exemplarEndpointsPerRun: 1, now: new Date(nowMs) });
    expect(result.status, JSON.stringify(result.errors)).toBe("succeeded");
    return { result, calls: sim.requests() };
  };
  return { db, orders, source, run };
}

describe("grouped trace sync", () => {
  it("makes the same backend calls for the world's endpoints and for 60, and the incident endpoint gets points and a culprit exemplar", async () => {
    const small = await firstRun(WORLD_ENDPOINTS);
    const large = await firstRun(60);
    expect(small.endpoints).toBe(WORLD_ENDPOINTS);
    expect(large.endpoints).toBe(60);
    for (const run of [small, large]) {
      expect(run.result.status, JSON.stringify(run.result.errors)).toBe("succeeded");
      expect(await run.db.endpoint.count({ where: { operation: null } })).toBe(0);
      // Four unified queries (p50, p95, p99, counts) cover every endpoint's 24 h; one more reads every
      // service's versions (deploys) and one the gateway's routes (with the operations list, hourly).
      expect(run.calls.filter((r) => r.path.endsWith("/telemetry/query_timeseries"))).toHaveLength(6);
      expect(run.calls.filter((r) => r.path.endsWith("/timeseries") && r.path.includes("/streams/"))).toHaveLength(1);

      const points = await run.db.latencyPoint.findMany({ where: { endpointId: run.orders }, orderBy: { ts: "asc" } });
      expect(points.length).toBeGreaterThanOrEqual(1439);
      expect(points.length).toBeLessThanOrEqual(1441);
      expect(points.at(-1)!.ts.getTime() - points[0].ts.getTime()).toBeGreaterThanOrEqual(24 * 60 * MIN - 2 * MIN);
      // Every mapped endpoint got its minutes, quiet ones as empty minutes.
      const perEndpoint = await run.db.latencyPoint.groupBy({ by: ["endpointId"], _count: true });
      expect(perEndpoint).toHaveLength(run.endpoints);
      for (const g of perEndpoint) expect(g._count).toBeGreaterThanOrEqual(1439);

      // With a budget of one endpoint, the spike picked GET /orders.
      const exemplars = await run.db.exemplar.findMany();
      expect(exemplars.length).toBeGreaterThan(0);
      expect(new Set(exemplars.map((e) => e.endpointId))).toEqual(new Set([run.orders]));
      expect(exemplars.some((e) => e.keyAlias === "globex-batch" && e.identityId !== null)).toBe(true);
    }
    // The one difference allowed: the first run created GET /orders' stream, the second found it.
    const reads = (calls: typeof small.calls) => calls.filter((r) => !(r.method === "POST" && r.path.endsWith("/streams")));
    expect(reads(large.calls).length).toBe(reads(small.calls).length);
    expect(large.calls.length).toBeLessThan(16);
  }, 360_000);

  it("an incremental run makes only the calls that can bring something new, and a spike still gets its culprit", async () => {
    const { db, orders, run } = await timedRuns();
    const T = world.anchor.getTime();
    // First run, well before the incident (anchor - 120 to - 75 min): lists operations, takes an exemplar turn.
    const first = await run(T - 180 * MIN);
    expect(first.calls.some((r) => r.method === "GET" && r.path.endsWith("/streams"))).toBe(true);
    expect(first.result.counts.exemplar_endpoints).toBe(1);

    // Five quiet minutes later: the four grouped queries and nothing else (deploys are scanned with a
    // spike, or a quarter-hour after the last scan).
    const quiet = await run(T - 175 * MIN);
    expect(quiet.calls.map((r) => r.path.replace(/.*\/telemetry\//, "telemetry/"))).toEqual(Array(4).fill("telemetry/query_timeseries"));
    expect(quiet.result.counts.operations_list_skipped).toBe(1);
    expect(quiet.result.counts.exemplar_turn_skipped).toBe(1);
    expect(quiet.result.counts.exemplar_endpoints).toBeUndefined();
    expect(quiet.result.counts.deploy_scan_skipped).toBe(1);

    // The run whose new minutes hold the incident reads GET /orders' exemplars, culprit included.
    const spike = await run(T - 70 * MIN);
    expect(spike.calls.filter((r) => r.path.endsWith("/timeseries") && r.path.includes("/streams/"))).toHaveLength(1);
    const culprits = await db.exemplar.findMany({ where: { endpointId: orders, ts: { gte: new Date(world.incident.spikeStart) } } });
    expect(culprits.some((e) => e.keyAlias === "globex-batch" && e.identityId !== null)).toBe(true);

    // A new (unmapped) endpoint makes the next run read the operations list again and map it.
    const state = world.stateAt(world.anchor);
    const added = await db.endpoint.create({ data: { apiId: state.apis[0].id, method: "GET", path: "/added/status" } });
    const after = await run(T - 65 * MIN);
    expect(after.result.counts.operations_list_skipped).toBeUndefined();
    expect((await db.endpoint.findUniqueOrThrow({ where: { id: added.id } })).operation).toBe("GET /added/status");
  }, 180_000);

  it("a later run of a running spike reads only traces slower than the set it holds, and the spike's exemplars stay", async () => {
    const { db, orders, source, run: runAt } = await timedRuns();
    const T = world.anchor.getTime();
    const run = async (nowMs: number) => {
      const { result, calls } = await runAt(nowMs);
      return { result, traces: calls.filter((r) => r.path.endsWith("/stored-traces")).length };
    };
    const slowest = async () =>
      (await db.exemplar.findMany({ where: { endpointId: orders }, orderBy: [{ durationMs: "desc" }, { spanId: "asc" }], take: 6 }))
        .map((e) => ({ spanId: e.spanId, durationMs: e.durationMs }));
    // The full sync runs 20 min into the incident (anchor - 120 to - 75 min): GET /orders gets its six slowest, culprit included.
    let prev = T - 100 * MIN;
    const full = await run(prev);
    expect(full.traces).toBe(6);
    expect(full.result.counts.exemplar_spike_continued).toBeUndefined();
    const culprits = await db.exemplar.findMany({ where: { spanId: { in: (await slowest()).map((e) => e.spanId) } } });
    expect(culprits.some((e) => e.keyAlias === "globex-batch" && e.identityId !== null)).toBe(true);

    // Minutes later the spike still runs. Only its requests slower than the six held are read (every
    // run read six before), and the six slowest held are what reading six new ones a run gave: the
    // slowest of the held and of every request the backend offers for the new minutes.
    const operation = (await db.endpoint.findUniqueOrThrow({ where: { id: orders } })).operation!;
    let read = 0;
    for (const later of [T - 95 * MIN, T - 90 * MIN]) {
      const held = await slowest();
      const stored = new Set((await db.exemplar.findMany({ select: { spanId: true } })).map((e) => e.spanId));
      const next = await run(later);
      const offered = await source.latencyWithExemplars({ service: "tyk-gateway", operation, from: new Date(prev - 2 * MIN), to: new Date(later), resolutionMs: MIN });
      const floor = Math.min(...held.map((e) => e.durationMs));
      expect(next.result.counts.exemplar_spike_continued).toBe(1);
      const fresh = offered.exemplars.filter((e) => !stored.has(e.spanId));
      expect(next.traces).toBe(Math.min(6, new Set(fresh.filter((e) => e.durationMs > floor).map((e) => e.spanId)).size));
      const expected = [...held, ...fresh.map((e) => ({ spanId: e.spanId, durationMs: e.durationMs }))]
        .sort((a, b) => b.durationMs - a.durationMs || a.spanId.localeCompare(b.spanId)).slice(0, 6).map((e) => e.durationMs);
      expect((await slowest()).map((e) => e.durationMs)).toEqual(expected);
      read += next.traces;
      prev = later;
    }
    expect(read).toBeLessThan(12);
  }, 180_000);

  it("falls back to one stream per endpoint when the backend cannot group by operation", async () => {
    const run = await firstRun(WORLD_ENDPOINTS, StreamsOnlySource);
    expect(run.result.status, JSON.stringify(run.result.errors)).toBe("succeeded");
    expect(run.calls.filter((r) => r.path.endsWith("/telemetry/query_timeseries"))).toHaveLength(0);
    expect(run.calls.filter((r) => r.path.endsWith("/timeseries") && r.path.includes("/streams/"))).toHaveLength(WORLD_ENDPOINTS);
    expect(await run.db.latencyPoint.count({ where: { endpointId: run.orders } })).toBeGreaterThanOrEqual(1439);
    expect(await run.db.exemplar.count({ where: { endpointId: run.orders, keyAlias: "globex-batch" } })).toBeGreaterThan(0);
  }, 180_000);
});

describe("per-stream trace sync under a request budget", () => {
  it("spends at most its budget per run, serves a spiking endpoint first, and reaches every endpoint in turn", async () => {
    const { db, orders, endpoints } = await estate(30);
    const source = new StreamsOnlySource({
      baseUrl: sim.url, org: "acme", project: "production", apiKey: KEY, rateLimitPerSec: 1_000,
      streamStore: prismaStreamStore(db, "lightstep:acme/production"),
    });
    const BUDGET = 24;
    const run = async () => {
      sim.resetStats();
      const result = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", requestBudget: BUDGET });
      expect(result.status, JSON.stringify(result.errors)).toBe("succeeded");
      // Every request the backend saw counts against the budget, the stream list's included.
      const reads = sim.requests();
      expect(reads.length).toBeLessThanOrEqual(BUDGET);
      return { result, reads };
    };
    const synced = async () => (await db.syncState.findMany({ where: { name: { startsWith: "traces:endpoint:" } } })).length;

    const first = await run();
    expect(first.result.counts.endpoints_deferred).toBeGreaterThan(0);
    expect(await synced()).toBe(first.result.counts.endpoints);
    // Runs keep going until every endpoint has been read once; none is starved.
    let runs = 1;
    while ((await synced()) < endpoints && runs < 20) {
      await run();
      runs++;
    }
    expect(await synced()).toBe(endpoints);
    // A first read costs at most four requests (stream list and creation, timeseries, one stored trace). Once read,
    // the world's kiosk slowdown on POST /shipping/labels is a spike, served first in every run for up to eight
    // (a window and six stored traces, its stream known): the other runs read (BUDGET - 8) / 4 new endpoints each.
    expect(runs).toBeLessThanOrEqual(Math.ceil((endpoints - Math.floor(BUDGET / 4)) / Math.floor((BUDGET - 8) / 4)) + 1);

    // GET /orders' newest stored minutes now show a spike (10× its day) and it is the most recently
    // read endpoint: by turns it would come last, as a spike it comes first.
    const now = Math.floor(Date.now() / MIN) * MIN;
    await db.latencyPoint.deleteMany({ where: { endpointId: orders } });
    await db.latencyPoint.createMany({
      data: Array.from({ length: 24 * 60 }, (_, i) => ({ endpointId: orders, ts: new Date(now - (24 * 60 - i) * MIN), p50: 40, p95: 90,
        p99: i >= 24 * 60 - 20 ? 1200 : 120, count: 30, errors: 0 })),
    });
    for (const st of await db.syncState.findMany({ where: { name: { startsWith: "traces:endpoint:" } } })) {
      const fresh = st.name === `traces:endpoint:${orders}`;
      await db.syncState.update({ where: { name: st.name }, data: { value: { until: new Date(now - (fresh ? 1 : 10) * MIN).toISOString() } } });
    }
    const spiked = await run();
    expect(spiked.result.counts.endpoints_deferred).toBeGreaterThan(0);
    const mark = await db.syncState.findUniqueOrThrow({ where: { name: `traces:endpoint:${orders}` } });
    expect(Date.parse((mark.value as { until: string }).until)).toBeGreaterThanOrEqual(now);
  }, 240_000);
});
