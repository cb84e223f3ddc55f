// The seeded world through the real pieces, for integration tests of what the console derives from
// it: the Tyk simulator (Dashboard API) and a Pump table written once (no timer, so hand counts from
// the world cover exactly what was ingested), the Tyk sync and analytics ingest; optionally the
// Lightstep simulator and the trace sync over the same span of time.
import { expect } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startLightstepSimulator, type LightstepSimulator } from "@/simulators/lightstep/server";
import { startPumpWriter, type PumpWriter } from "@/simulators/tyk-dashboard/pump-writer";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { createWorld, type SimRequest, type World } from "@/simulators/world";
import { freshDatabase, type FreshDatabase } from "./db";

const API_KEY = "seeded-world-test-key";
const holder = globalThis as unknown as { touchlineDb?: PrismaClient };

export interface SeededWorld {
  world: World;
  db: PrismaClient;
  /** The app database's URL (for a second client). */
  url: string;
  /** Every request the Pump table holds (and ingest stored). */
  written: SimRequest[];
  close(): Promise<void>;
}

export async function startSeededWorld(opts: { backfillMs: number; traces?: boolean }): Promise<SeededWorld> {
  const world = createWorld({ seed: 42 });
  const app: FreshDatabase = await freshDatabase();
  const pumpDb: FreshDatabase = await freshDatabase({ migrate: false });
  const sim: TykSimulator = await startTykSimulator({ world, apiKey: API_KEY });
  const from = Math.floor((Date.now() - opts.backfillMs) / 60_000) * 60_000;
  const pump: PumpWriter = await startPumpWriter({ world, databaseUrl: pumpDb.url, backfillMs: opts.backfillMs, intervalMs: 3_600_000 });
  await pump.flush();
  const written = world.requestsBetween(from, pump.writtenUntil());
  Object.assign(process.env, {
    DATABASE_URL: app.url, NEXTAUTH_URL: "http://localhost:4999", NEXTAUTH_SECRET: "x".repeat(40), OIDC_ISSUER: "http://localhost:4100",
    OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "secret", TRACE_BACKEND: "none", LOG_LEVEL: "silent",
    TYK_DASHBOARD_URL: sim.url, TYK_DASHBOARD_API_KEY: API_KEY, TYK_ANALYTICS_DATABASE_URL: pumpDb.url,
  });
  delete holder.touchlineDb;
  const { getDb } = await import("@/lib/db");
  const db = getDb();
  const { createTykClient } = await import("@/lib/tyk/client");
  const { syncTyk } = await import("@/lib/sync/tyk/sync");
  expect((await syncTyk({ db, client: createTykClient({ baseUrl: sim.url, apiKey: API_KEY }), auditLog: "auto", trigger: "test" })).status).toBe("succeeded");
  const { syncAnalytics } = await import("@/lib/sync/analytics/sync-analytics");
  expect((await syncAnalytics(db, { trigger: "test" })).status).toBe("succeeded");
  let lightstep: LightstepSimulator | null = null;
  if (opts.traces) {
    lightstep = await startLightstepSimulator({ world, apiKey: API_KEY, org: "acme", project: "production" });
    const { LightstepTraceSource } = await import("@/lib/traces/lightstep/adapter");
    const { prismaStreamStore } = await import("@/lib/traces/lightstep/stream-store");
    const { syncTraces } = await import("@/lib/sync/traces/sync-traces");
    const source = new LightstepTraceSource({ baseUrl: lightstep.url, org: "acme", project: "production", apiKey: API_KEY, streamStore: prismaStreamStore(db, "lightstep:acme/production") });
    const traces = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", backfillMs: opts.backfillMs, tracesPerEndpoint: 2, exemplarEndpointsPerRun: 100 });
    expect(traces.errors).toEqual([]);
  }
  return {
    world, db, url: app.url, written,
    async close() {
      await db.$disconnect();
      delete holder.touchlineDb;
      await pump.close();
      await lightstep?.close();
      await sim.close();
      await app.drop();
      await pumpDb.drop();
    },
  };
}
