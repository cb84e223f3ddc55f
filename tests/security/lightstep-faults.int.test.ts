import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { snapshotDatabase } from "@/lib/security/db-snapshot";
import { syncTraces } from "@/lib/sync/traces/sync-traces";
import { LightstepTraceSource } from "@/lib/traces/lightstep/adapter";
import { createRateLimiter } from "@/lib/traces/lightstep/rate-limiter";
import { prismaStreamStore } from "@/lib/traces/lightstep/stream-store";
import { startLightstepSimulator, type Fault, type LightstepSimulator } from "@/simulators/lightstep/server";
import { createWorld } from "@/simulators/world";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

// Each upstream fault the Lightstep simulator can play, on every request of a trace sync: the run is
// recorded failed or partial with a reason, nothing stored changes, and the next run completes.
const KEY = "lightstep-faults-int-key";
const MIN = 60_000;
const world = createWorld({ seed: 42, anchor: new Date(Date.now() - 30 * MIN) });
const T0 = world.anchor;
// Run bookkeeping is written by every run by design.
const BOOKKEEPING = ["sync_runs", "sync_state"];
const STORM = 1_000_000;

const FAULTS: { name: string; fault: Fault }[] = [
  { name: "500s", fault: { kind: "500", times: STORM } },
  { name: "429 storm with Retry-After", fault: { kind: "429", times: STORM } },
  { name: "responses slower than the timeout", fault: { kind: "slow", delayMs: 4_000, times: STORM } },
  { name: "truncated JSON", fault: { kind: "truncated", times: STORM } },
  { name: "a renamed field", fault: { kind: "rename-field", times: STORM } },
];

let sim: LightstepSimulator;
let fresh: FreshDatabase;
let db: PrismaClient;
// Fast limits so a storm costs milliseconds, and no GET cache: every run must really ask.
const limiter = createRateLimiter({ perSecond: 1_000, marginMs: 0 });
const source = () =>
  new LightstepTraceSource({
    baseUrl: sim.url, org: "acme", project: "production", apiKey: KEY, limiter,
    streamStore: prismaStreamStore(db, "lightstep:acme/production"),
    // Well above a loaded machine's answer times (the first sync must succeed), well below the slow fault's delay.
    timeoutMs: 1_500, maxRetries: 1, maxBackoffMs: 20, cacheTtlMs: 0,
  });
const sync = (now: Date) =>
  syncTraces({ db, source: source(), service: "tyk-gateway", trigger: "test", now, backfillMs: 60 * MIN, tracesPerEndpoint: 1 });

beforeAll(async () => {
  fresh = await freshDatabase();
  db = createDb(fresh.url);
  sim = await startLightstepSimulator({ world, apiKey: KEY, org: "acme", project: "production", rateLimitPerSec: 1_000 });
  const state = world.stateAt(T0);
  for (const [slug, method, path] of [["/orders/", "GET", "/orders"], ["/payments/", "GET", "/payments/{id}"]]) {
    const api = state.apis.find((a) => a.listenPath === slug)!;
    await db.api.upsert({ where: { id: api.id }, create: { id: api.id, name: api.name, listenPath: api.listenPath, definition: {} }, update: {} });
    await db.endpoint.create({ data: { apiId: api.id, method, path } });
  }
  const first = await sync(T0);
  expect(first.status, JSON.stringify(first.errors)).toBe("succeeded");
  expect(await db.latencyPoint.count()).toBeGreaterThan(100);
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await db?.$disconnect();
  await fresh?.drop();
});

describe("trace sync under Lightstep faults", () => {
  let step = 0;
  for (const { name, fault } of FAULTS) {
    it(`${name}: recorded as not succeeded with a reason, stored points untouched, next run completes`, async () => {
      // Each case moves "now" on, so a run that got through would have new minutes to write.
      const now = new Date(T0.getTime() + ++step * 2 * MIN);
      const before = await snapshotDatabase(fresh.url, { exclude: BOOKKEEPING });

      sim.setFault(fault);
      const broken = await sync(now);
      sim.setFault(null);

      expect(await snapshotDatabase(fresh.url, { exclude: BOOKKEEPING }), "nothing stored was lost, changed or half-written").toEqual(before);
      expect(["failed", "partial"], `status ${broken.status}`).toContain(broken.status);
      expect(broken.errors.length).toBeGreaterThan(0);
      for (const e of broken.errors) {
        expect(e.message.length, JSON.stringify(e)).toBeGreaterThan(5);
        expect(e.message).not.toContain(KEY);
      }
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: broken.runId } });
      expect(run.status).toBe(broken.status);
      expect(run.finishedAt).not.toBeNull();

      const pointsBefore = await db.latencyPoint.count();
      const next = await sync(now);
      expect(next.status, JSON.stringify(next.errors)).toBe("succeeded");
      expect(await db.latencyPoint.count(), "the recovery run fills in the minutes the broken one missed").toBeGreaterThan(pointsBefore);
    });
  }
});
