import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffCatalogs, readSchemaCatalog } from "@/scripts/db/catalog";
import { listMigrations } from "@/scripts/db/migrate";
import { REPO_ROOT, fromEmptySql } from "@/scripts/db/schema-diff";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

// Fails when prisma/schema.prisma and prisma/migrations disagree: someone edited the schema
// without `npm run db:migration -- <name>`, or hand-edited a migration. The schema side gets
// prisma/hand-tuned.sql too: storage the schema language cannot express, which a hand-written
// migration must reproduce exactly.
describe("migrations vs schema.prisma", () => {
  let viaMigrations: FreshDatabase;
  let viaSchema: FreshDatabase;

  beforeAll(async () => {
    viaMigrations = await freshDatabase({ migrate: true });
    viaSchema = await freshDatabase({ migrate: false });
    const client = new pg.Client({ connectionString: viaSchema.url });
    await client.connect();
    try {
      await client.query(await fromEmptySql());
      await client.query(await readFile(path.join(REPO_ROOT, "prisma/hand-tuned.sql"), "utf8"));
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await viaMigrations?.drop();
    await viaSchema?.drop();
  });

  it("has at least the initial migration", async () => {
    expect((await listMigrations()).length).toBeGreaterThan(0);
  });

  it("produces the same tables, columns, constraints and indexes", async () => {
    const expected = await readSchemaCatalog(viaSchema.url);
    const actual = await readSchemaCatalog(viaMigrations.url);
    expect(expected.columns.length).toBeGreaterThan(50);
    expect(diffCatalogs(expected, actual)).toEqual([]);
  });
});
