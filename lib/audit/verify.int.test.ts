import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { recordAudit, verifyAuditChain } from "./record";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

async function verifyCommand(url: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/audit-verify.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe("audit chain verification against a real database", () => {
  let fresh: FreshDatabase;
  let db: ReturnType<typeof createDb>;
  let sql: pg.Client;

  beforeAll(async () => {
    fresh = await freshDatabase();
    db = createDb(fresh.url);
    sql = new pg.Client({ connectionString: fresh.url });
    await sql.connect();
    for (const [i, action] of ["auth.login", "token.create", "sync.start", "auth.logout"].entries()) {
      await recordAudit(db, { actor: { type: "user", id: `u${i}`, email: "ada@acme.test" }, action, details: { n: i, nested: { b: 1, a: [1, 2] } } });
    }
  });

  afterAll(async () => {
    await sql?.end();
    await db?.$disconnect();
    await fresh?.drop();
  });

  it("an untouched chain verifies, by function and by command", async () => {
    expect(await verifyAuditChain(db, 2)).toEqual({ ok: true, rows: 4 });
    const cmd = await verifyCommand(fresh.url);
    expect(cmd.code).toBe(0);
    expect(cmd.out).toContain("audit chain OK: 4 event(s)");
  });

  it("a row edited in SQL breaks the chain at that row", async () => {
    const { rows } = await sql.query<{ id: string }>("SELECT id::text FROM audit_events ORDER BY id LIMIT 1 OFFSET 2");
    const id = rows[0].id;
    await sql.query("UPDATE audit_events SET actor_email = 'mallory@evil.test' WHERE id = $1", [id]);

    const verdict = await verifyAuditChain(db, 2); // batch 2: the break sits in the second page
    expect(verdict).toMatchObject({ ok: false, brokenAt: id, rows: 3 });
    const cmd = await verifyCommand(fresh.url);
    expect(cmd.code).toBe(1);
    expect(cmd.out).toContain(`BROKEN at event id ${id}`);
    expect(cmd.out).toContain("edited");
  });

  it("a deleted row is reported at the row after the gap", async () => {
    await sql.query("UPDATE audit_events SET actor_email = 'ada@acme.test' WHERE actor_email = 'mallory@evil.test'");
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const { rows } = await sql.query<{ id: string }>("SELECT id::text FROM audit_events ORDER BY id");
    await sql.query("DELETE FROM audit_events WHERE id = $1", [rows[1].id]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: rows[2].id });
  });
});
