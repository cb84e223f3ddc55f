// The seeded demo world, end to end through the real pieces: the Tyk simulator (Dashboard API and
// Tyk Pump's table), the history replay, the Tyk sync, analytics ingestion, then the investigation
// API route called with a console API token — the question the product exists to answer.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { InvestigationJson } from "@/lib/investigation/result";
import { replayHistory, replayTimes } from "@/scripts/replay-history";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { createWorld } from "@/simulators/world";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

const BASE = "http://localhost:4999";
const API_KEY = "demo-world-test-key";
const holder = globalThis as unknown as { touchlineDb?: PrismaClient };

let app: FreshDatabase;
let pump: FreshDatabase;
let sim: TykSimulator;
let db: PrismaClient;
let token: string;
let ordersId: string;

beforeAll(async () => {
  app = await freshDatabase();
  pump = await freshDatabase({ migrate: false });
  // DEMO_TEST_ANCHOR (ISO) replays a given start time: the world is anchored at "now", so a failure seen at one
  // time of day can be reproduced later.
  const world = createWorld({ seed: 42, anchor: process.env.DEMO_TEST_ANCHOR ? new Date(process.env.DEMO_TEST_ANCHOR) : new Date() });
  sim = await startTykSimulator({ world, apiKey: API_KEY, analyticsDatabaseUrl: pump.url });
  Object.assign(process.env, {
    DATABASE_URL: app.url, NEXTAUTH_URL: BASE, NEXTAUTH_SECRET: "x".repeat(40), OIDC_ISSUER: "http://localhost:4100",
    OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "secret", TRACE_BACKEND: "none", LOG_LEVEL: "silent",
    TYK_DASHBOARD_URL: sim.url, TYK_DASHBOARD_API_KEY: API_KEY, TYK_ANALYTICS_DATABASE_URL: pump.url,
  });
  delete holder.touchlineDb;
  const { getDb } = await import("@/lib/db");
  db = getDb();
  const { createTykClient } = await import("@/lib/tyk/client");
  const client = createTykClient({ baseUrl: sim.url, apiKey: API_KEY });
  const replay = await replayHistory({ db, client, dashboardUrl: sim.url, apiKey: API_KEY, times: replayTimes(world.anchor, world.events.map((e) => e.at)) });
  expect(replay.failed).toBe(0);
  const { syncAnalytics } = await import("@/lib/sync/analytics/sync-analytics");
  const ingest = await syncAnalytics(db, { trigger: "test" });
  expect(ingest.status).toBe("succeeded");
  const { createToken } = await import("@/lib/tokens/service");
  const { SYSTEM_ACTOR } = await import("@/lib/audit/context");
  token = (await createToken(db, { name: "test", scopes: ["read"], expiresAt: null, createdBy: "test" }, { actor: SYSTEM_ACTOR })).token;
  const orders = await db.endpoint.findFirstOrThrow({ where: { method: "GET", path: "/orders" } });
  ordersId = orders.id;
}, 240_000);

afterAll(async () => {
  await db?.$disconnect();
  delete holder.touchlineDb;
  await sim?.close();
  await app?.drop();
  await pump?.drop();
});

async function investigate(query = ""): Promise<{ status: number; body: InvestigationJson }> {
  const { GET } = await import("@/app/api/endpoints/[id]/investigation/route");
  const res = await GET(new NextRequest(`${BASE}/api/endpoints/${ordersId}/investigation${query}`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({ id: ordersId }),
  });
  return { status: res.status, body: (await res.json()) as InvestigationJson };
}

describe("the demo world's incident, through the investigation API", () => {
  it("finds the spike on GET /orders and ranks the partner-gold change and the globex-batch key first", async () => {
    const { status, body } = await investigate();
    expect(status).toBe(200);
    expect(body.spike.kind).toBe("spike");
    expect(body.verdict.verdict).toBe("explained");
    const top = body.suspects.slice(0, 2).map((s) => `${s.kind}:${s.label}`);
    expect(top).toEqual(expect.arrayContaining(["access_change:partner-gold", "key:globex-batch"]));
    for (const s of body.suspects.slice(0, 2)) {
      expect(s.significant).toBe(true);
      expect(s.share.lo).toBeGreaterThan(0.5);
    }
    const change = body.suspects.find((s) => s.kind === "access_change")!;
    expect(change.actor).toBe("ada@acme.test");
  });

  it("keeps the decoys out of the suspects", async () => {
    const { body } = await investigate();
    const significant = body.suspects.filter((s) => s.significant).map((s) => s.label);
    expect(significant).not.toContain("mobile-app");
    expect(significant).not.toContain("search-indexer");
  });

  it("answers a window with no spike without inventing a culprit", async () => {
    const from = new Date(Date.now() - 20 * 3_600_000).toISOString();
    const to = new Date(Date.now() - 18 * 3_600_000).toISOString();
    const { status, body } = await investigate(`?from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body.spike.kind).toBe("none");
    expect(body.verdict.verdict).toBe("no_spike");
    expect(body.suspects).toEqual([]);
  });

  it("rejects an inverted window naming the field", async () => {
    const { status, body } = await investigate(`?from=${new Date().toISOString()}&to=${new Date(Date.now() - 3_600_000).toISOString()}`);
    expect(status).toBe(400);
    expect((body as unknown as { error: { field: string } }).error.field).toBe("to");
  });
});
