import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWorld } from "@/simulators/world";
import { startLightstepSimulator, type LightstepSimulator } from "@/simulators/lightstep/server";
import { TraceAuthError, TraceShapeError, TraceTimeoutError, TraceUnsupportedError } from "../errors";
import { rootSpan } from "../trace-source";
import { LightstepTraceSource, type LightstepSourceOptions } from "./adapter";
import { createRateLimiter } from "./rate-limiter";
import { memoryStreamStore, type StreamStore } from "./stream-store";

const KEY = "ls-secret-key-123";
const world = createWorld({ seed: 42 });
const T = world.anchor.getTime();
const ORDERS = "GET /orders";
let sim: LightstepSimulator;
// One limiter for the file's sources, so consecutive tests do not overrun the simulator's budget.
const testLimiter = createRateLimiter({ perSecond: 2 });

function source(extra: Partial<LightstepSourceOptions> = {}, store: StreamStore = memoryStreamStore()) {
  return new LightstepTraceSource({
    baseUrl: sim.url,
    org: "acme",
    project: "production",
    apiKey: KEY,
    streamStore: store,
    limiter: testLimiter,
    cacheTtlMs: 0,
    maxBackoffMs: 1500,
    ...extra,
  });
}

beforeAll(async () => {
  sim = await startLightstepSimulator({ world, apiKey: KEY, org: "acme", project: "production", rateLimitPerSec: 2 });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.setFault(null);
  sim.resetStats();
});

describe("LightstepTraceSource against the simulator", () => {
  it("lists services and creates, remembers and reuses a stream", async () => {
    const store = memoryStreamStore();
    const ls = source({}, store);
    expect(await ls.listServices()).toContain("tyk-gateway");
    const id = await ls.streamFor("tyk-gateway", ORDERS);
    expect(await store.get("tyk-gateway", ORDERS)).toBe(id);
    // A second installation (empty store) finds the existing stream by its query instead of creating another.
    const other = memoryStreamStore();
    expect(await source({}, other).streamFor("tyk-gateway", ORDERS)).toBe(id);
    expect(sim.requests().filter((r) => r.method === "POST" && r.path.endsWith("/streams"))).toHaveLength(1);
    expect(await ls.listOperations("tyk-gateway")).toContain(ORDERS);
  });

  it("reads percentiles, counts and snake_case exemplars; the incident shows in p99", async () => {
    const ls = source();
    const { points, exemplars } = await ls.latencyWithExemplars({
      service: "tyk-gateway",
      operation: ORDERS,
      from: new Date(T - 3 * 3600_000),
      to: new Date(T),
      resolutionMs: 60_000,
    });
    expect(points).toHaveLength(180);
    const before = points.filter((p) => p.ts < T - 2.2 * 3600_000 && p.count > 0);
    const during = points.filter((p) => p.ts >= T - 115 * 60_000 && p.ts < T - 80 * 60_000);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(median(before.map((p) => p.p99!))).toBeLessThan(400);
    expect(median(during.map((p) => p.p99!))).toBeGreaterThan(1000);
    expect(points.every((p) => p.count >= p.errors)).toBe(true);
    const slow = exemplars.filter((e) => e.ts >= T - 115 * 60_000 && e.ts < T - 80 * 60_000).sort((a, b) => b.durationMs - a.durationMs)[0];
    expect(slow.traceId).toMatch(/^[0-9a-f]{32}$/);
    const trace = await ls.getTrace(slow.handle ?? slow.spanId);
    expect(trace.traceId).toBe(slow.traceId);
    const root = rootSpan(trace)!;
    expect(root.service).toBe("tyk-gateway");
    expect(root.attributes["tyk.api.apikey.alias"]).toBe("globex-batch");
    expect(root.attributes["tyk.api.apikey"]).toBe(world.incident.culpritKeyHash);
    expect(trace.spans.find((s) => s.parentSpanId === root.spanId)?.service).toBe("orders-service");
  });

  it("answers exemplars() with the slowest first and latency grouped by attribute", async () => {
    const ls = source();
    const q = { service: "tyk-gateway", operation: ORDERS, from: new Date(T - 110 * 60_000), to: new Date(T - 100 * 60_000) };
    const ex = await ls.exemplars({ ...q, limit: 3, minDurationMs: 500 });
    expect(ex.length).toBeGreaterThan(0);
    expect(ex.length).toBeLessThanOrEqual(3);
    expect(ex[0].durationMs).toBeGreaterThanOrEqual(ex[ex.length - 1].durationMs);
    const groups = await ls.latencyByAttribute({ ...q, attribute: "tyk.api.apikey.alias", percentile: 99, resolutionMs: 300_000 });
    const globex = groups.find((g) => g.value === "globex-batch");
    expect(globex?.series[0].valueMs).toBeGreaterThan(1000);
    expect(globex?.series[0].ts).toBe(T - 110 * 60_000);
  });

  it("turns 401 into TraceAuthError without leaking the key", async () => {
    const err = await source({ apiKey: "wrong-key" }).listServices().catch((e) => e);
    expect(err).toBeInstanceOf(TraceAuthError);
    expect(String(err.message)).not.toContain("wrong-key");
    expect(String(err.message)).toContain("401");
  });

  it("backs off on 429 and 5xx, honouring Retry-After, then succeeds", async () => {
    const ls = source();
    sim.setFault({ kind: "429", times: 2, path: "/directory/services" });
    expect(await ls.listServices()).toContain("tyk-gateway");
    sim.setFault({ kind: "500", times: 2, path: "/directory/services" });
    expect(await ls.listServices()).toContain("tyk-gateway");
    const statuses = sim.requests().map((r) => r.status);
    expect(statuses).toEqual([429, 429, 200, 500, 500, 200]);
  });

  it("maps truncated and renamed bodies to TraceShapeError", async () => {
    const ls = source();
    sim.setFault({ kind: "truncated", path: "/directory/services" });
    await expect(ls.listServices()).rejects.toBeInstanceOf(TraceShapeError);
    sim.setFault({ kind: "rename-field", path: "/directory/services" });
    await expect(ls.listServices()).rejects.toBeInstanceOf(TraceShapeError);
  });

  it("bounds every call in time", async () => {
    sim.setFault({ kind: "slow", delayMs: 2000, times: 5 });
    await expect(source({ timeoutMs: 300, maxRetries: 1 }).listServices()).rejects.toBeInstanceOf(TraceTimeoutError);
    sim.setFault(null);
  });

  it("keeps 10 concurrent callers within 2 requests/s at the server", async () => {
    // The process-wide limiter (no `limiter` option): ten sources share it because they share the org.
    await new Promise((r) => setTimeout(r, 1100));
    sim.setFault(null);
    sim.resetStats();
    const sources = Array.from({ length: 10 }, () => source({ limiter: undefined }));
    const results = await Promise.all(sources.map((s) => s.listServices()));
    expect(results.every((r) => r.includes("tyk-gateway"))).toBe(true);
    expect(sim.requests().map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(sim.maxObservedRate()).toBeLessThanOrEqual(2);
  });

  it("reports grouped latency as unsupported where the backend lacks it", async () => {
    const ls = source({ baseUrl: `${sim.url}/nowhere` });
    await expect(
      ls.latencyByAttribute({ service: "s", operation: "o", attribute: "a", percentile: 99, from: new Date(T - 60_000), to: new Date(T) }),
    ).rejects.toBeInstanceOf(TraceUnsupportedError);
  });
});
