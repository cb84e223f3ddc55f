import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { freshDatabase } from "@/tests/helpers/db";
import { LOOKUP_CONNECTIONS, createDb, db as processDb, lookupPoolOf, poolOf } from "./db";

describe("createDb", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    fresh = await freshDatabase({ migrate: false });
  });
  afterAll(async () => fresh.drop());

  it("finds the pool of the process's client through the db proxy", async () => {
    expect((await poolOf(processDb).query<{ n: number }>("SELECT 1 AS n")).rows[0].n).toBe(1);
  });

  it("keeps an idle connection (and its backend's caches) past pg's default 10 s", async () => {
    const db = createDb(fresh.url);
    try {
      const pool = poolOf(db);
      const pid = async () => (await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
      const first = await pid();
      expect(pool.options.idleTimeoutMillis).toBeGreaterThanOrEqual(5 * 60_000);
      expect(pool.idleCount).toBe(1);
      expect(await pid()).toBe(first);
    } finally {
      await db.$disconnect();
    }
  });

  it("ends its pools on $disconnect, also when only the pools were used", async () => {
    const db = createDb(fresh.url);
    const pool = poolOf(db), lookups = lookupPoolOf(db);
    await pool.query("SELECT 1");
    await lookups.query("SELECT 1");
    await db.$disconnect();
    expect([pool.ended, lookups.ended]).toEqual([true, true]);
  });

  it("runs lookups on their own two connections, on generic plans", async () => {
    const db = createDb(fresh.url);
    try {
      const lookups = lookupPoolOf(db);
      expect(lookups).not.toBe(poolOf(db));
      expect(lookups.options.max).toBe(LOOKUP_CONNECTIONS);
      expect((await lookups.query<{ mode: string }>("SELECT current_setting('plan_cache_mode') AS mode")).rows[0].mode).toBe("force_generic_plan");
      expect((await poolOf(db).query<{ mode: string }>("SELECT current_setting('plan_cache_mode') AS mode")).rows[0].mode).toBe("auto");
    } finally {
      await db.$disconnect();
    }
  });

  it("survives the server dropping its idle connections, and reconnects on next use", async () => {
    const db = createDb(fresh.url);
    try {
      const pool = poolOf(db);
      await pool.query("SELECT 1"); // Prisma never connects: the pool's own handler must catch the drop
      const before = pool.totalCount;
      const admin = new pg.Client({ connectionString: fresh.url });
      await admin.connect();
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      await admin.end();
      // The pool drops the dead idle clients; without createDb's handler the 'error' event they raise
      // would be unhandled and end the process (vitest reports it as a failure).
      for (let i = 0; i < 100 && pool.totalCount >= before; i++) await new Promise((r) => setTimeout(r, 50));
      expect(pool.totalCount).toBeLessThan(before);
      expect((await pool.query<{ n: number }>("SELECT 2 AS n")).rows[0].n).toBe(2);
      expect(await db.$queryRawUnsafe<{ n: number }[]>("SELECT 3 AS n")).toEqual([{ n: 3 }]);
      await db.$disconnect();
      expect(pool.ended).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });
});
