import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { plainHash, GENESIS_HASH, type ChainFields } from "./chain";
import { fileSink, type Checkpoint } from "./checkpoint";
import { auditKeysFrom } from "./keys";
import { recordAudit } from "./record";
import { verifyAuditChain, writeCheckpoint } from "./verify";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const newKey = () => randomBytes(32).toString("base64");

interface Setup {
  fresh: FreshDatabase;
  db: PrismaClient;
  sql: pg.Client;
  env: Record<string, string>;
  dir: string;
}

const made: Setup[] = [];

/** A fresh database with `n` keyed audit rows and (when there are any) a checkpoint signed after them. */
async function setup(n = 6, key = newKey()): Promise<Setup> {
  const fresh = await freshDatabase();
  const db = createDb(fresh.url);
  const sql = new pg.Client({ connectionString: fresh.url });
  await sql.connect();
  const dir = await mkdtemp(path.join(tmpdir(), "touchline-audit-cp-"));
  const env = { DATABASE_URL: fresh.url, TOUCHLINE_AUDIT_KEY: key, TOUCHLINE_AUDIT_CHECKPOINT_DIR: dir };
  const keys = auditKeysFrom(env);
  for (let i = 0; i < n; i++) {
    await recordAudit(db, { actor: { type: "user", id: `u${i}`, email: "ada@acme.test" }, action: ["auth.login", "token.create", "sync.start"][i % 3], details: { n: i, nested: { b: 1, a: [1, 2] } } }, keys);
  }
  if (n > 0) await writeCheckpoint(db, { keys, sink: fileSink(dir) });
  const s = { fresh, db, sql, env, dir };
  made.push(s);
  return s;
}

/** Someone with the table owner's rights: the trigger is theirs to switch off. */
async function asOwner(sql: pg.Client, statement: string, params: unknown[] = []): Promise<void> {
  await sql.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
  await sql.query(statement, params);
  await sql.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
}

async function verifyCommand(env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/audit-verify.ts"], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const verify = (s: Setup) => verifyAuditChain(s.db, { keys: auditKeysFrom(s.env), sink: fileSink(s.dir) });

afterAll(async () => {
  for (const s of made) {
    await s.sql.end();
    await s.db.$disconnect();
    await s.fresh.drop();
    await rm(s.dir, { recursive: true, force: true });
  }
});

describe("audit chain against a real database", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });

  it("an untouched keyed chain verifies against its checkpoint, by function and by command", async () => {
    expect((await verify(s)).verdict).toMatchObject({ ok: true, rows: 6, keyedRows: 6, checkpoint: { rows: 6 } });
    const cmd = await verifyCommand(s.env);
    expect(cmd.code).toBe(0);
    expect(cmd.out).toContain("audit chain OK: 6 event(s) verified (6 keyed, 0 plain sha256); newest checkpoint");
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE on audit_events", async () => {
    for (const statement of ["UPDATE audit_events SET ip = '1.2.3.4'", "DELETE FROM audit_events", "TRUNCATE audit_events"]) {
      await expect(s.sql.query(statement), statement).rejects.toThrow(/audit_events is append-only/);
    }
  });

  it("a process without the key refuses to append after keyed rows", async () => {
    await expect(recordAudit(s.db, { actor: { type: "system" }, action: "sync.start" }, null)).rejects.toThrow(/TOUCHLINE_AUDIT_KEY is not set/);
  });
});

describe("audit:verify reports each kind of tampering", () => {
  it("an edited row", async () => {
    const s = await setup();
    const { rows } = await s.sql.query<{ id: string }>("SELECT id::text FROM audit_events ORDER BY id LIMIT 1 OFFSET 2");
    await asOwner(s.sql, "UPDATE audit_events SET actor_email = 'mallory@evil.test' WHERE id = $1", [rows[0].id]);
    const cmd = await verifyCommand(s.env);
    expect(cmd.code).toBe(1);
    expect(cmd.out).toContain(`audit chain BROKEN: a row was EDITED at event id ${rows[0].id}`);
  });

  it("a deleted tail", async () => {
    const s = await setup();
    await asOwner(s.sql, "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events ORDER BY id DESC LIMIT 2)");
    expect((await verify(s)).verdict).toMatchObject({ ok: false, kind: "deleted_tail", rows: 4 });
    const cmd = await verifyCommand(s.env);
    expect(cmd.code).toBe(1);
    expect(cmd.out).toContain("the newest rows were DELETED (deleted tail)");
    expect(cmd.out).toMatch(/ends after 4 rows, but the checkpoint signed at \S+ saw 6 rows/);
  });

  it("an emptied table", async () => {
    const s = await setup();
    await asOwner(s.sql, "DELETE FROM audit_events");
    const cmd = await verifyCommand(s.env);
    expect(cmd.code).toBe(1);
    expect(cmd.out).toContain("the table was EMPTIED");
  });

  it("a chain recomputed from the first row without the key", async () => {
    const s = await setup();
    const rows = await s.db.auditEvent.findMany({ orderBy: { id: "asc" } });
    let prev = GENESIS_HASH;
    await s.sql.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
    for (const r of rows) {
      const fields: ChainFields = { ...r, action: r.action === "token.create" ? "nothing.happened" : r.action };
      const hash = plainHash(prev, fields);
      await s.sql.query("UPDATE audit_events SET action = $1, prev_hash = $2, hash = $3, alg = 'sha256', key_id = NULL WHERE id = $4", [fields.action, prev, hash, r.id]);
      prev = hash;
    }
    await s.sql.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
    // Without the checkpoint the chain looks like an unkeyed install's…
    expect((await verifyAuditChain(s.db, { keys: auditKeysFrom(s.env), sink: null })).verdict.ok).toBe(true);
    const cmd = await verifyCommand(s.env);
    expect(cmd.code).toBe(1);
    expect(cmd.out).toContain("the chain was RECOMPUTED without the audit key");
  });

  it("an altered checkpoint file", async () => {
    const s = await setup();
    const sink = fileSink(s.dir);
    const [line] = (await sink.read()) as Checkpoint[];
    await sink.append({ ...line, rows: 3 });
    const cmd = await verifyCommand(s.env);
    expect(cmd.code).toBe(1);
    expect(cmd.out).toContain("the checkpoint file was ALTERED");
  });
});

describe("upgrades and key rotation", () => {
  it("rows hashed with plain sha256 before the key was set still verify after it", async () => {
    const s = await setup(0);
    for (let i = 0; i < 3; i++) await recordAudit(s.db, { actor: { type: "system" }, action: "legacy.row" }, null);
    const keys = auditKeysFrom(s.env);
    for (let i = 0; i < 2; i++) await recordAudit(s.db, { actor: { type: "system" }, action: "keyed.row" }, keys);
    await writeCheckpoint(s.db, { keys, sink: fileSink(s.dir) });
    expect((await verify(s)).verdict).toMatchObject({ ok: true, rows: 5, plainRows: 3, keyedRows: 2 });
  });

  it("secrets:rotate re-signs with the new key, after which the old key can be removed", async () => {
    const oldKey = newKey();
    const s = await setup(4, oldKey);
    const rotated = { ...s.env, TOUCHLINE_AUDIT_KEY: newKey(), TOUCHLINE_AUDIT_KEY_PREVIOUS: oldKey };
    await recordAudit(s.db, { actor: { type: "system" }, action: "after.rotation" }, auditKeysFrom(rotated));
    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const { stdout } = await run(process.execPath, [tsx, "scripts/secrets-rotate.ts"], { cwd: ROOT, env: { ...process.env, ...rotated } });
    expect(stdout).toContain("audit chain verified (5 events); checkpoint signed with the current key at 5 rows");
    const { TOUCHLINE_AUDIT_KEY_PREVIOUS: _old, ...withoutOld } = rotated;
    const cmd = await verifyCommand(withoutOld);
    expect(cmd.code, cmd.out).toBe(0);
    expect(cmd.out).toContain("audit chain OK: 5 event(s) verified");
    expect(cmd.out).toContain("signed with a retired key skipped");
  });
});
