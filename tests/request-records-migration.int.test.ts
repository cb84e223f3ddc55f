import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "@/scripts/db/migrate";
import { MIGRATIONS_DIR } from "@/scripts/db/schema-diff";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

// The hand-written migrations of request_records must carry an existing install's rows.
const BY_DAY = "20261126072750_request_records_by_day";
const CALLERS = "20261126100329_request_callers";

/** A fresh database migrated up to (not including) `migration`, and a cleanup. */
async function migratedUpTo(migration: string): Promise<{ fresh: FreshDatabase; dir: string }> {
  const all = await listMigrations();
  expect(all).toContain(migration);
  const dir = await mkdtemp(path.join(tmpdir(), "touchline-migrations-"));
  for (const m of all.slice(0, all.indexOf(migration))) await cp(path.join(MIGRATIONS_DIR, m), path.join(dir, m), { recursive: true });
  const fresh = await freshDatabase({ migrate: false });
  await applyMigrations(fresh.url, { dir });
  return { fresh, dir };
}

describe(`migration ${BY_DAY}`, () => {
  let fresh: FreshDatabase | undefined;
  let before: string | undefined;

  afterAll(async () => {
    await fresh?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("moves existing rows into one partition per day, collapsing duplicates", async () => {
    ({ fresh, dir: before } = await migratedUpTo(BY_DAY));

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
      // Every migration applied: primary key, endpoint, the weighted sample, caller, traced requests.
      const { rows: idx } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'request_records_p20261120'");
      expect(idx[0].n).toBe(5);
      expect((await c.query("SELECT to_regclass('request_records_unpartitioned') AS t")).rows[0].t).toBeNull();
    } finally {
      await c.end();
    }
  });
});

describe(`migration ${CALLERS}`, () => {
  let fresh: FreshDatabase | undefined;
  let before: string | undefined;

  afterAll(async () => {
    await fresh?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it("moves callers into request_callers and source ids to int8, in every day, DEFAULT and a day still loading", async () => {
    ({ fresh, dir: before } = await migratedUpTo(CALLERS));
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    try {
      const hex16 = "8000000000000001", hex32 = "0123456789abcdef0123456789abcdef";
      await c.query(`CREATE TABLE request_records_p20261120 PARTITION OF request_records FOR VALUES FROM ('2026-11-20') TO ('2026-11-21')`);
      await c.query(`CREATE TABLE request_records_p20261121 PARTITION OF request_records FOR VALUES FROM ('2026-11-21') TO ('2026-11-22')`);
      // Same caller written with its policies in another order and repeated; the anonymous caller
      // with NULL and with empty policies; one row per partition and kind of source id.
      await c.query(`INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, key_hash, identity_id, oauth_client_id, policy_ids, trace_id) VALUES
        ($1, '2026-11-20 01:00', 'ep', 'api', 'GET', '/a', 200, 10, 'k1', 'p1', NULL, '{gold,bronze}', 't1'),
        ($2, '2026-11-20 02:00', 'ep', 'api', 'GET', '/a', 500, 20, 'k1', 'p1', NULL, '{bronze,gold,gold}', NULL),
        ('hand-made', '2026-11-21 03:00', 'ep', 'api', 'GET', '/a', 200, 30, NULL, NULL, NULL, NULL, NULL),
        ('hand-made', '2026-11-25 04:00', NULL, 'api', 'GET', '/b', 200, 40, NULL, NULL, NULL, '{}', NULL),
        ('0000000000000005', '2026-11-25 05:00', NULL, 'api', 'GET', '/b', 200, 50, 'k2', NULL, 'client-1', '{}', NULL)`, [hex16, hex32]);
      // A first import interrupted mid-day: a detached loading table (as partitions.ts makes it).
      await c.query(`CREATE TABLE request_records_load_20261122 (LIKE request_records INCLUDING DEFAULTS)`);
      await c.query(`INSERT INTO request_records_load_20261122 (source_id, ts, api_id, method, path, status, latency_ms, key_hash, identity_id, policy_ids)
        VALUES ('00000000000000ff', '2026-11-22 06:00', 'api', 'GET', '/c', 200, 60, 'k1', 'p1', '{gold,bronze}'),
               ('0000000000000100', '2026-11-22 07:00', 'api', 'GET', '/c', 200, 70, 'k3', NULL, '{}')`);

      await applyMigrations(fresh.url);

      const callers = (await c.query<{ id: number; key_hash: string | null; identity_id: string | null; oauth_client_id: string | null; policy_ids: string[] }>(
        "SELECT id, key_hash, identity_id, oauth_client_id, policy_ids FROM request_callers ORDER BY id")).rows;
      expect(callers.map(({ id: _id, ...t }) => t)).toEqual([
        { key_hash: "k1", identity_id: "p1", oauth_client_id: null, policy_ids: ["bronze", "gold"] },
        { key_hash: "k2", identity_id: null, oauth_client_id: "client-1", policy_ids: [] },
        { key_hash: "k3", identity_id: null, oauth_client_id: null, policy_ids: [] },
        { key_hash: null, identity_id: null, oauth_client_id: null, policy_ids: [] },
      ]);
      const idOf = (key: string | null) => callers.find((x) => x.key_hash === key)!.id;

      const rows = (await c.query<{ part: string; source_id: string; ts: string; caller_id: number; latency_ms: number; trace_id: string | null }>(
        `SELECT tableoid::regclass::text AS part, source_id::text, to_char(ts, 'YYYY-MM-DD HH24:MI') AS ts, caller_id, latency_ms, trace_id
           FROM request_records ORDER BY ts`)).rows;
      expect(rows).toEqual([
        { part: "request_records_p20261120", source_id: (-(2n ** 63n) + 1n).toString(), ts: "2026-11-20 01:00", caller_id: idOf("k1"), latency_ms: 10, trace_id: "t1" },
        { part: "request_records_p20261120", source_id: BigInt("0x0123456789abcdef").toString(), ts: "2026-11-20 02:00", caller_id: idOf("k1"), latency_ms: 20, trace_id: null },
        { part: "request_records_p20261121", source_id: expect.stringMatching(/^-?\d+$/), ts: "2026-11-21 03:00", caller_id: idOf(null), latency_ms: 30, trace_id: null },
        { part: "request_records_default", source_id: expect.stringMatching(/^-?\d+$/), ts: "2026-11-25 04:00", caller_id: idOf(null), latency_ms: 40, trace_id: null },
        { part: "request_records_default", source_id: "5", ts: "2026-11-25 05:00", caller_id: idOf("k2"), latency_ms: 50, trace_id: null },
      ]);
      // The same text gives the same int8 wherever it was.
      expect(rows[2].source_id).toBe(rows[3].source_id);

      const loading = (await c.query<{ source_id: string; caller_id: number }>(
        "SELECT source_id::text, caller_id FROM request_records_load_20261122 ORDER BY ts")).rows;
      expect(loading).toEqual([{ source_id: "255", caller_id: idOf("k1") }, { source_id: "256", caller_id: idOf("k3") }]);
      // Still detached and unindexed, with the parent's columns in the parent's order (ATTACH and
      // the DEFAULT hand-over copy whole rows).
      expect((await c.query("SELECT 1 FROM pg_inherits WHERE inhrelid = 'request_records_load_20261122'::regclass")).rowCount).toBe(0);
      const cols = async (t: string) => (await c.query<{ c: string }>(
        "SELECT attname || ':' || format_type(atttypid, atttypmod) || ':' || attnotnull AS c FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum", [t])).rows.map((r) => r.c);
      expect(await cols("request_records_load_20261122")).toEqual(await cols("request_records"));
      await c.query(`ALTER TABLE request_records ATTACH PARTITION request_records_load_20261122 FOR VALUES FROM ('2026-11-22') TO ('2026-11-23')`);

      // Every migration applied: primary key, endpoint, the weighted sample, caller, traced requests.
      const { rows: idx } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'request_records_p20261120'");
      expect(idx[0].n).toBe(5);
      for (const t of ["request_records_old", "request_records_p20261120_old", "request_records_default_old", "request_records_load_20261122_old"]) {
        expect((await c.query("SELECT to_regclass($1) AS t", [t])).rows[0].t).toBeNull();
      }
      // New callers continue the sequence.
      const { rows: [next] } = await c.query<{ id: number }>("INSERT INTO request_callers (key_hash) VALUES ('k9') RETURNING id");
      expect(next.id).toBeGreaterThan(Math.max(...callers.map((x) => x.id)));
    } finally {
      await c.end();
    }
  });
});
