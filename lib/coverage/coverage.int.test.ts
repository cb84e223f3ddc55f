// Coverage and environment names on the seeded world, through the real pieces (the Tyk simulator's
// Dashboard API and Pump table, the Lightstep simulator, the Tyk, analytics and trace syncs): the
// figures equal counts made by hand from the world itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startLightstepSimulator, type LightstepSimulator } from "@/simulators/lightstep/server";
import { startPumpWriter, type PumpWriter } from "@/simulators/tyk-dashboard/pump-writer";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { createWorld, type SimRequest } from "@/simulators/world";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import type { CoveragePage } from "./page";

const API_KEY = "coverage-test-key";
const HOUR = 3_600_000;
const holder = globalThis as unknown as { touchlineDb?: PrismaClient };
const world = createWorld({ seed: 42 });

let app: FreshDatabase;
let pumpDb: FreshDatabase;
let sim: TykSimulator;
let lightstep: LightstepSimulator;
let pump: PumpWriter;
let db: PrismaClient;
let page: CoveragePage;
let written: SimRequest[];

beforeAll(async () => {
  app = await freshDatabase();
  pumpDb = await freshDatabase({ migrate: false });
  sim = await startTykSimulator({ world, apiKey: API_KEY });
  // Three hours of requests, written once (no timer), so the hand counts cover exactly what was ingested.
  const backfillMs = 3 * HOUR;
  const from = Math.floor((Date.now() - backfillMs) / 60_000) * 60_000;
  pump = await startPumpWriter({ world, databaseUrl: pumpDb.url, backfillMs, intervalMs: 3_600_000 });
  await pump.flush();
  written = world.requestsBetween(from, pump.writtenUntil());
  Object.assign(process.env, {
    DATABASE_URL: app.url, NEXTAUTH_URL: "http://localhost:4999", NEXTAUTH_SECRET: "x".repeat(40), OIDC_ISSUER: "http://localhost:4100",
    OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "secret", TRACE_BACKEND: "none", LOG_LEVEL: "silent",
    TYK_DASHBOARD_URL: sim.url, TYK_DASHBOARD_API_KEY: API_KEY, TYK_ANALYTICS_DATABASE_URL: pumpDb.url,
  });
  delete holder.touchlineDb;
  const { getDb } = await import("@/lib/db");
  db = getDb();
  const { createTykClient } = await import("@/lib/tyk/client");
  const { syncTyk } = await import("@/lib/sync/tyk/sync");
  expect((await syncTyk({ db, client: createTykClient({ baseUrl: sim.url, apiKey: API_KEY }), auditLog: "auto", trigger: "test" })).status).toBe("succeeded");
  const { syncAnalytics } = await import("@/lib/sync/analytics/sync-analytics");
  expect((await syncAnalytics(db, { trigger: "test" })).status).toBe("succeeded");
  lightstep = await startLightstepSimulator({ world, apiKey: API_KEY, org: "acme", project: "production" });
  const { LightstepTraceSource } = await import("@/lib/traces/lightstep/adapter");
  const { prismaStreamStore } = await import("@/lib/traces/lightstep/stream-store");
  const { syncTraces } = await import("@/lib/sync/traces/sync-traces");
  const source = new LightstepTraceSource({ baseUrl: lightstep.url, org: "acme", project: "production", apiKey: API_KEY, streamStore: prismaStreamStore(db, "lightstep:acme/production") });
  const traces = await syncTraces({ db, source, service: "tyk-gateway", trigger: "test", backfillMs, tracesPerEndpoint: 2, exemplarEndpointsPerRun: 100 });
  expect(traces.errors).toEqual([]);
  const { coveragePage } = await import("./page");
  page = await coveragePage(db, { days: 2 });
}, 480_000);

afterAll(async () => {
  await db?.$disconnect();
  delete holder.touchlineDb;
  await pump?.close();
  await lightstep?.close();
  await sim?.close();
  await app?.drop();
  await pumpDb?.drop();
});

function handCounts(apiName: string) {
  const rs = written.filter((r) => r.apiName === apiName);
  return { requests: rs.length, traced: rs.filter((r) => r.traceId !== "").length, noIdentity: rs.filter((r) => r.keyAlias === "").length, keyless: 0 };
}

describe("coverage on the seeded world", () => {
  it("counts every API's requests, trace ids and identity-less requests as the world made them", () => {
    expect(written.length).toBeGreaterThan(10_000);
    const names = [...new Set(written.map((r) => r.apiName))].sort();
    expect(page.apis.map((a) => a.name).sort()).toEqual(names);
    for (const api of page.apis) {
      expect({ requests: api.requests, traced: api.traced, noIdentity: api.noIdentity, keyless: api.keyless }, api.name).toEqual(handCounts(api.name));
    }
    expect(page.total.requests).toBe(written.length);
    expect(page.days.reduce((n, d) => n + d.requests, 0)).toBe(written.length);
  });

  it("finds the Ledger API's tracing off and the kiosk keys without an alias, with their causes", () => {
    const ledger = page.apis.find((a) => a.name === "Ledger API")!;
    expect(ledger.shares.traceId).toBe(0);
    expect(page.apis.find((a) => a.name === "Orders API")!.shares.traceId).toBe(1);
    const off = page.gaps.find((g) => g.kind === "tracing_off")!;
    expect(off.apiId).toBe(ledger.id);
    expect(off.cause).toContain("API Ledger API has detailed tracing off in its API definition");
    const kiosk = written.filter((r) => r.keyAlias === "");
    const noAlias = page.gaps.find((g) => g.kind === "key_no_alias")!;
    expect(noAlias.cause).toBe(`Key alias empty for 3 keys: ${kiosk.length.toLocaleString("en-US")} requests with no identity`);
    expect(page.gaps.map((g) => g.kind)).not.toContain("key_unknown");
  });

  it("finds what the trace backend holds by count, and confirms sampled traces by trace id", () => {
    expect(page.traceBackend).toBe(true);
    for (const api of page.apis.filter((a) => a.name !== "Ledger API")) expect(api.shares.held, api.name).toBeGreaterThan(0.95);
    expect(page.apis.find((a) => a.name === "Ledger API")!.shares.held).toBeNull();
    expect(page.gaps.map((g) => g.kind)).not.toContain("not_held");
    expect(page.total.exemplars).toBeGreaterThan(10);
    expect(page.total.shares.correlated).toBe(1);
    // The kiosks' traces carry a key nobody is behind: those, and only those, are anonymous.
    const shipping = page.apis.find((a) => a.name === "Shipping API")!;
    const labels = shipping.endpoints.find((e) => e.path === "/shipping/labels")!;
    expect(labels.exemplars).toBeGreaterThan(0);
    const others = page.apis.filter((a) => a.name !== "Shipping API");
    expect(others.every((a) => a.identified === a.exemplars)).toBe(true);
  });

  it("puts Shipping's prd beside its traces' production: one environment, two names", async () => {
    const { environmentsPage } = await import("@/lib/environments/page");
    const envs = await environmentsPage(db);
    const shipping = envs.apis.find((a) => a.name === "Shipping API")!;
    expect(shipping.tyk).toEqual({ raw: "prd", source: "tag", environment: "production" });
    expect(shipping.traces.map((t) => [t.raw, t.environment])).toEqual([["production", "production"]]);
    expect(shipping.status).toBe("naming");
    expect(envs.apis[0].name).toBe("Shipping API"); // inconsistencies first
    expect(envs.apis.find((a) => a.name === "Ledger API")!.status).toBe("undeclared");
    expect(envs.apis.find((a) => a.name === "Orders API")!.status).toBe("traces_only");
    const production = envs.environments.find((e) => e.environment === "production")!;
    expect(production.spellings).toEqual(["prd", "production"]);
  });

  it("filters coverage by environment, in any spelling, and honours an admin's alias", async () => {
    const { coveragePage } = await import("./page");
    const prd = await coveragePage(db, { days: 2, env: "PRD" });
    expect(prd.apis.map((a) => a.name).sort()).toEqual(page.apis.map((a) => a.name).filter((n) => n !== "Ledger API").sort());
    const { setAlias, deleteAlias } = await import("@/lib/environments/page");
    const ledger = await db.api.findFirstOrThrow({ where: { name: "Ledger API" } });
    // Ledger declares nothing; tag-less APIs can still be filed by an alias of a listen-path word.
    await setAlias(db, { name: "ledger", environment: "finance" }, "test");
    const finance = await coveragePage(db, { days: 2, env: "finance" });
    expect(finance.apis.map((a) => a.id)).toEqual([ledger.id]);
    await deleteAlias(db, "ledger");
    expect((await coveragePage(db, { days: 2, env: "finance" })).apis).toEqual([]);
  });

  it("narrows to one API", async () => {
    const ledger = page.apis.find((a) => a.name === "Ledger API")!;
    const { coveragePage } = await import("./page");
    const one = await coveragePage(db, { days: 2, api: ledger.id });
    expect(one.apis.map((a) => a.name)).toEqual(["Ledger API"]);
    expect(one.gaps.every((g) => g.apiId === null || g.apiId === ledger.id)).toBe(true);
  });
});
