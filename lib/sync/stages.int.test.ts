// A stage stuck inside PostgreSQL is stopped at its time budget, recorded failed with the reason
// while the status shows it running against its budget, and the next run loads everything.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { PUMP_SCHEMA_SQL } from "@/simulators/tyk-dashboard/pump-schema";
import { freshDatabase, freshDatabases, type FreshDatabase } from "@/tests/helpers/db";

const ROWS = 5000;
const INGEST_LOCK = 0x746c_6169; // ingest.ts serialises batches under this advisory lock

let pump: FreshDatabase;
let url: string;
let db: PrismaClient;
const touchlines = freshDatabases(async (d) => {
  await d.api.create({ data: { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} } });
});

beforeAll(async () => {
  pump = await freshDatabase({ migrate: false });
  const c = new pg.Client({ connectionString: pump.url });
  await c.connect();
  await c.query(PUMP_SCHEMA_SQL);
  await c.query(
    `INSERT INTO tyk_analytics (timestamp, method, path, responsecode, apikey, apiid, requesttime, tags, listenpath)
     SELECT now() - interval '1 hour' + i * interval '500 ms', 'GET', '/orders/' || i, 200, '', 'orders', 10, '[]', '/orders/'
       FROM generate_series(1, $1::int) AS i`, [ROWS]);
  await c.end();
  ({ url, db } = await touchlines.create());
  // The stage reads its upstreams from the configuration, as in the server.
  Object.assign(process.env, {
    DATABASE_URL: url, TYK_ANALYTICS_DATABASE_URL: pump.url, NEXTAUTH_URL: "http://localhost:4999", NEXTAUTH_SECRET: "s".repeat(40),
    OIDC_ISSUER: "http://localhost:4998", OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "x", TRACE_BACKEND: "none", LOG_LEVEL: "silent",
  });
  delete process.env.TYK_DASHBOARD_URL;
  delete process.env.TYK_DASHBOARD_API_KEY;
});

afterAll(async () => {
  await touchlines.dropAll();
  await pump?.drop();
});

describe("runStage", () => {
  it("stops a stage stuck past its budget, records why, and the next run resumes and completes", async () => {
    const { runStage } = await import("./stages");
    const { getSyncStatus } = await import("@/lib/queries/sync-status");
    // Another session holds the ingest lock: the stage's first batch waits inside PostgreSQL.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK]);
    try {
      const started = Date.now();
      const stuck = runStage(db, "analytics", { trigger: "test", budgetSeconds: 2 });
      // While it waits, the status shows it running against its budget.
      await new Promise((r) => setTimeout(r, 1000));
      const during = (await getSyncStatus(db)).stages.find((s) => s.kind === "analytics")!;
      expect(during).toMatchObject({ state: "running", budgetMs: 2000, overBudget: false });
      expect(during.runningForMs).toBeGreaterThan(0);

      const result = (await stuck)!;
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(result.status).toBe("failed");
      expect(result.errors).toEqual([{ step: "run", message: expect.stringMatching(/^Analytics sync ran past its time budget of 2 s and was stopped; the next run resumes/) }]);
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: result.runId } });
      expect(run).toMatchObject({ status: "failed", budgetMs: 2000 });
      expect(await db.requestRecord.count()).toBe(0);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }

    const next = (await runStage(db, "analytics", { trigger: "test", budgetSeconds: 120 }))!;
    expect(next.status).toBe("succeeded");
    expect(next.counts.rows).toBe(ROWS);
    expect(await db.requestRecord.count()).toBe(ROWS);
    const after = (await getSyncStatus(db)).stages.find((s) => s.kind === "analytics")!;
    expect(after).toMatchObject({ state: "succeeded", runningForMs: null, budgetMs: 120_000 });
    expect(after.lastDurationMs).toBeGreaterThanOrEqual(0);
  });

  it("derives the next budget from the stage's own finished runs", async () => {
    const { nextBudgetMs } = await import("./stages");
    // One succeeded run so far (the one above), a short one: the floor applies.
    expect(await nextBudgetMs(db, "analytics")).toBe(120_000);
    expect(await nextBudgetMs(db, "traces")).toBe(30 * 60_000);
    expect(await nextBudgetMs(db, "analytics", 45)).toBe(45_000);
  });

  it("answers null for a stage whose upstream is not configured", async () => {
    const { runStage } = await import("./stages");
    expect(await runStage(db, "traces", { trigger: "test" })).toBeNull();
    expect(await runStage(db, "tyk", { trigger: "test" })).toBeNull();
  });
});
