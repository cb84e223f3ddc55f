// A small real stack for the access integration tests: a fresh migrated database, the Tyk Dashboard
// simulator over HTTP writing its Pump table into a second database, a baseline Tyk sync, and
// analytics ingest on demand. Nothing is mocked.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createDb } from "@/lib/db";
import { log } from "@/lib/log";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { ingestAnalytics } from "@/lib/sync/analytics/ingest";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { createWorld, type World } from "@/simulators/world";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import type { AccessConfig } from "../config";
import type { Who } from "../who";

export const TEST_CONFIG: AccessConfig = {
  rotationDays: 90, unusedDays: 30, usageRefreshMs: 0, graceHours: 24, requestMaxMinutes: 240, requestRatePerMinute: 120, jobIntervalMs: 60_000,
};

export interface AccessStack {
  world: World;
  sim: TykSimulator;
  client: TykClient;
  db: PrismaClient;
  url: string;
  /** The simulator's Dashboard API key (for its /_sim routes and raw calls). */
  apiKey: string;
  /** Writes the requests served so far to the Pump table and ingests them. */
  ingest(): Promise<void>;
  /** Calls the simulated gateway with a raw key. */
  serve(rawKey: string, count?: number): Promise<{ status: number; served: number; rateLimited: number; quotaExceeded: number }>;
  close(): Promise<void>;
}

/** Sets the variables lib/env.ts requires (the app's env is read once per process). */
export function testEnv(url: string): void {
  Object.assign(process.env, {
    DATABASE_URL: url, NEXTAUTH_URL: "http://localhost:4999", NEXTAUTH_SECRET: "x".repeat(40), OIDC_ISSUER: "http://localhost:4998",
    OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "secret", TRACE_BACKEND: "none", LOG_LEVEL: "silent",
    TOUCHLINE_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  });
  delete process.env.ACCESS_WEBHOOK_URL;
  log.level = "silent";
}

export async function startAccessStack(opts: { seed?: number; clientTimeoutMs?: number } = {}): Promise<AccessStack> {
  const apiKey = `access-int-${randomBytes(6).toString("hex")}`;
  const world = createWorld({ seed: opts.seed ?? 7 });
  const app: FreshDatabase = await freshDatabase();
  testEnv(app.url);
  const analytics = await freshDatabase({ migrate: false });
  const sim = await startTykSimulator({ world, apiKey, analyticsDatabaseUrl: analytics.url, pumpIntervalMs: 3_600_000 });
  const client = createTykClient({ baseUrl: sim.url, apiKey, retryBaseMs: 1, retries: 1, timeoutMs: opts.clientTimeoutMs ?? 5_000 });
  const db = createDb(app.url);
  const first = await syncTyk({ db, client, auditLog: "auto", trigger: "test" });
  if (first.status !== "succeeded") throw new Error(`baseline sync ${first.status}`);
  return {
    world, sim, client, db, url: app.url, apiKey,
    async ingest() {
      await sim.pump!.flush();
      await ingestAnalytics({ db, sourceUrl: analytics.url, databaseUrl: app.url });
    },
    async serve(rawKey, count = 1) {
      const res = await fetch(`${sim.url}/_sim/requests`, { method: "POST", headers: { Authorization: apiKey }, body: JSON.stringify({ key: rawKey, count }) });
      return (await res.json()) as { status: number; served: number; rateLimited: number; quotaExceeded: number };
    },
    async close() {
      await db.$disconnect();
      await sim.close();
      await app.drop();
      await analytics.drop();
    },
  };
}

export const asAdmin: Who = { email: "ada@acme.test", audit: { actor: { type: "user", id: "u-ada", email: "ada@acme.test" } } };
