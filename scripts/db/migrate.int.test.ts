import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { applyMigrations, migrationChecksum } from "./migrate";

describe("applyMigrations", () => {
  let dir: string;
  let fresh: FreshDatabase;

  const add = async (name: string, sql: string) => {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  };
  const rows = async () => {
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    try {
      return (
        await c.query<{ migration_name: string; checksum: string; finished_at: Date | null; logs: string | null; applied_steps_count: number }>(
          `SELECT migration_name, checksum, finished_at, logs, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
        )
      ).rows;
    } finally {
      await c.end();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tl-migrations-"));
    fresh = await freshDatabase({ migrate: false });
  });
  afterEach(async () => {
    await fresh.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("applies pending migrations in name order and records Prisma-compatible rows", async () => {
    await add("20260102000000_b", "ALTER TABLE t ADD COLUMN b int;");
    await add("20260101000000_a", "CREATE TABLE t (a int);");
    expect((await applyMigrations(fresh.url, { dir })).applied).toEqual(["20260101000000_a", "20260102000000_b"]);
    const recorded = await rows();
    expect(recorded.map((r) => r.migration_name)).toEqual(["20260101000000_a", "20260102000000_b"]);
    expect(recorded[0].checksum).toBe(migrationChecksum("CREATE TABLE t (a int);"));
    expect(recorded.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    expect((await applyMigrations(fresh.url, { dir })).applied).toEqual([]);
  });

  it("rolls back a failing migration, records it, and refuses to continue past it", async () => {
    await add("20260101000000_a", "CREATE TABLE t (a int);");
    await add("20260102000000_bad", "CREATE TABLE u (x int); SELECT * FROM missing_table;");
    await add("20260103000000_c", "CREATE TABLE v (y int);");
    await expect(applyMigrations(fresh.url, { dir })).rejects.toThrow(/20260102000000_bad failed: .*missing_table/);

    const recorded = await rows();
    expect(recorded.map((r) => [r.migration_name, r.finished_at !== null])).toEqual([
      ["20260101000000_a", true],
      ["20260102000000_bad", false],
    ]);
    expect(recorded[1].logs).toMatch(/missing_table/);

    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    const tables = (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename);
    await c.end();
    expect(tables).toEqual(["_prisma_migrations", "t"]); // u rolled back, v never attempted

    await expect(applyMigrations(fresh.url, { dir })).rejects.toThrow(/started but not finished/);
  });

  it("warns when an applied migration's file changed", async () => {
    await add("20260101000000_a", "CREATE TABLE t (a int);");
    await applyMigrations(fresh.url, { dir });
    await add("20260101000000_a", "CREATE TABLE t (a bigint);");
    expect((await applyMigrations(fresh.url, { dir })).warnings).toEqual(["20260101000000_a was modified after it was applied"]);
  });
});
