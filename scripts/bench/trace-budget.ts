/**
 * The trace sync at scale without Lightstep's unified query (issue 18 item 5): 200 endpoints
 * (× syncScale) read one stream each through the real adapter from the Lightstep simulator,
 * which answers /telemetry/query_timeseries 404 (as for an account without it) and enforces its
 * 2 requests/s. Runs the traces stage back to back, as its 60 s timer would, with the request
 * budget the stage gets for that interval, until every endpoint has been read once, then two
 * more: every run must fit the interval.
 */
import { createDb } from "@/lib/db";
import { defaultRequestBudget } from "@/lib/sync/traces/request-budget";
import { syncTraces } from "@/lib/sync/traces/sync-traces";
import { LightstepTraceSource } from "@/lib/traces/lightstep/adapter";
import { prismaStreamStore } from "@/lib/traces/lightstep/stream-store";
import { applyMigrations } from "@/scripts/db/migrate";
import { startLightstepSimulator } from "@/simulators/lightstep/server";
import { createWorld } from "@/simulators/world";
import { figure, type Figure } from "./results";
import type { BenchServer } from "./server";

const KEY = "bench-lightstep-key";
/** The traces stage's interval (TYK_SYNC_INTERVAL_SECONDS' default). */
const INTERVAL_S = 60;
/** Runs after every endpoint has been read once: the steady state. */
const STEADY_RUNS = 2;
const MAX_RUNS = 30;

interface Run {
  seconds: number;
  requests: number;
  endpoints: number;
  deferred: number;
}

export async function measureTraceBudget(server: BenchServer, scale: number, log: (s: string) => void): Promise<{ figures: Figure[]; notes: string[] }> {
  const total = Math.max(6, Math.round(200 * scale));
  const world = createWorld({ seed: 8 });
  const ls = await startLightstepSimulator({ world, apiKey: KEY, org: "acme", project: "production", rateLimitPerSec: 2, unifiedQuery: false });
  const url = await server.database("tl_bench_streams");
  await applyMigrations(url);
  const db = createDb(url);
  const budget = defaultRequestBudget(INTERVAL_S);
  try {
    // The world's APIs and endpoints, then quiet ones on the same APIs up to `total`.
    const state = world.stateAt(world.anchor);
    let n = 0;
    for (const api of state.apis) {
      await db.api.create({ data: { id: api.id, name: api.name, listenPath: api.listenPath, definition: {} } });
      for (const ep of api.endpoints) if (n < total) {
        await db.endpoint.create({ data: { apiId: api.id, method: ep.method, path: ep.template } });
        n++;
      }
    }
    for (let i = 0; n < total; i++, n++) await db.endpoint.create({ data: { apiId: state.apis[i % state.apis.length].id, method: "GET", path: `/quiet/${i}/status` } });
    const source = new LightstepTraceSource({
      baseUrl: ls.url, org: "acme", project: "production", apiKey: KEY, streamStore: prismaStreamStore(db, "lightstep:acme/production"),
    });
    const read = async () => (await db.syncState.count({ where: { name: { startsWith: "traces:endpoint:" } } }));
    const runs: Run[] = [];
    let firstPass: number | null = null;
    while (runs.length < MAX_RUNS && (firstPass == null || runs.length < firstPass + STEADY_RUNS)) {
      const before = ls.requestCount();
      const t = performance.now();
      const r = await syncTraces({ db, source, service: "tyk-gateway", trigger: "cli", requestBudget: budget });
      if (r.status !== "succeeded") throw new Error(`trace run ${runs.length + 1} ${r.status}: ${JSON.stringify(r.errors).slice(0, 300)}`);
      runs.push({ seconds: (performance.now() - t) / 1000, requests: ls.requestCount() - before, endpoints: r.counts.endpoints ?? 0, deferred: r.counts.endpoints_deferred ?? 0 });
      const last = runs[runs.length - 1];
      log(`  per-stream run ${runs.length}: ${last.seconds.toFixed(1)} s, ${last.requests} requests, ${last.endpoints} endpoints read, ${last.deferred} deferred`);
      if (firstPass == null && (await read()) >= total) firstPass = runs.length;
    }
    const slowest = Math.max(...runs.map((r) => r.seconds));
    const steady = firstPass == null ? [] : runs.slice(firstPass);
    const perRun = steady.length ? Math.min(...steady.map((r) => r.endpoints)) : null;
    return {
      figures: [
        figure({
          id: "sync.traces_per_stream.run",
          label: `Trace sync without the unified query, ${total} endpoints at 2 req/s: slowest run (budget ${budget} requests a run)`,
          value: firstPass == null ? null : slowest, unit: "s",
          baseline: { label: "the traces stage's interval", value: INTERVAL_S, unit: "s" },
          ratio: firstPass == null ? null : slowest / INTERVAL_S, compare: "ratio", target: { op: "<=", bound: 1 },
          ...(firstPass == null ? { reason: `${MAX_RUNS} runs did not reach every endpoint` } : {}),
        }),
      ],
      notes: [
        `Trace sync without the unified query: ${total} endpoints, request budget ${budget} a run (¾ of 2 req/s × ${INTERVAL_S} s); `
        + `every endpoint read once after ${firstPass ?? "—"} runs (a first read costs its stream's lookup and creation, a window and a stored trace); `
        + `then ${perRun ?? "—"}+ endpoints refreshed a run, so each is at most ${perRun ? Math.ceil(total / perRun) : "—"} runs stale; `
        + `at most ${Math.max(...runs.map((r) => r.requests))} requests in a run (the budget covers the endpoints' reads; the run's few other calls — `
        + `operations, deploys — come out of the quarter of the interval it leaves); runs took ${runs.map((r) => r.seconds.toFixed(0)).join(", ")} s.`,
      ],
    };
  } finally {
    await db.$disconnect();
    await ls.close();
  }
}
