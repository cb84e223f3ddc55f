import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "@/scripts/db/migrate";
import { MIGRATIONS_DIR } from "@/scripts/db/schema-diff";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

// The hand-written migration that partitions request_records must carry an existing install's rows.
const BY_DAY = "20261126072750_request_records_by_day";

describe(`migration ${BY_DAY}`, () => {
  let fresh: FreshDatabase | undefined;
  let before: string | undefined;

  afterAll(async () => {
    await fresh?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("moves existing rows into one partition per day, collapsing duplicates", async () => {
    const all = await listMigrations();
    expect(all).toContain(BY_DAY);
    before = await mkdtemp(path.join(tmpdir(), "touchline-migrations-"));
    for (const m of all.slice(0, all.indexOf(BY_DAY))) await cp(path.join(MIGRATIONS_DIR, m), path.join(before, m), { recursive: true });
    fresh = await freshDatabase({ migrate: false });
    await applyMigrations(fresh.url, { dir: before });

    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    try {
      await c.query(`INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, key_hash, identity_id)
        SELECT 's' || (i % 500), timestamp '2026-11-20 00:00' + (i % 500) * interval '10 minutes', 'ep', 'api', 'GET', '/x', 200, i, 'k', 'id'
        FROM generate_series(1, 1000) i`);
      await applyMigrations(fresh.url);

      const { rows: [n] } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM request_records");
      expect(n.n).toBe(500);
      const { rows: parts } = await c.query<{ part: string; n: number }>(
        "SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM request_records GROUP BY 1 ORDER BY 1");
      expect(parts.map((p) => p.part)).toEqual(["request_records_p20261120", "request_records_p20261121", "request_records_p20261122", "request_records_p20261123"]);
      const { rows: idx } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'request_records_p20261120'");
      expect(idx[0].n).toBe(3);
      expect((await c.query("SELECT to_regclass('request_records_unpartitioned') AS t")).rows[0].t).toBeNull();
    } finally {
      await c.end();
    }
  });
});
