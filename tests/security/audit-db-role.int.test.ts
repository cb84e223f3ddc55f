import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditKeysFrom } from "@/lib/audit/keys";
import { recordAudit } from "@/lib/audit/record";
import { createDb } from "@/lib/db";
import { attachLoadedDay, targetForDay } from "@/lib/sync/analytics/partitions";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

// docs/audit-db-role.sql, as an operator would run it: the console's role appends to the audit
// trail and ingests request records (day partitions are DDL), but cannot change, delete or
// truncate audit rows — not even by switching the append-only trigger off.
describe("the INSERT-only database role for the console (docs/audit-db-role.sql)", () => {
  let fresh: FreshDatabase;
  let appUrl: string;
  let app: pg.Client;
  const role = `touchline_app_${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("hex");

  beforeAll(async () => {
    fresh = await freshDatabase();
    const doc = await readFile(path.resolve(import.meta.dirname, "../../docs/audit-db-role.sql"), "utf8");
    const owner = new pg.Client({ connectionString: fresh.url });
    await owner.connect();
    // Roles are per server: a unique name keeps parallel runs on one server apart.
    await owner.query(doc.replaceAll("touchline_app", role).replace("'change-me'", `'${password}'`));
    await owner.end();
    const url = new URL(fresh.url);
    url.username = role;
    url.password = password;
    appUrl = url.toString();
    app = new pg.Client({ connectionString: appUrl });
    await app.connect();
  });

  afterAll(async () => {
    await app?.end();
    await fresh?.drop();
    const server = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    await server.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await server.end();
  });

  it("appends keyed audit rows through the console's own code", async () => {
    const db = createDb(appUrl);
    try {
      await recordAudit(db, { actor: { type: "system" }, action: "role.check" }, auditKeysFrom({ TOUCHLINE_AUDIT_KEY: randomBytes(32).toString("base64") }));
      expect(await db.auditEvent.count()).toBe(1);
    } finally {
      await db.$disconnect();
    }
  });

  it("cannot update, delete or truncate audit rows, nor switch the trigger off", async () => {
    for (const statement of ["UPDATE audit_events SET ip = '6.6.6.6'", "DELETE FROM audit_events", "TRUNCATE audit_events", "ALTER TABLE audit_events DISABLE TRIGGER USER", "DROP TABLE audit_events"]) {
      await expect(app.query(statement), statement).rejects.toThrow(/permission denied|must be owner/);
    }
  });

  it("still creates and attaches a day partition of request records", async () => {
    await app.query("BEGIN");
    const target = await targetForDay(app, "2026-11-20");
    await app.query("COMMIT");
    expect(target).toMatch(/_load_/);
    await attachLoadedDay(app, "2026-11-20");
    const { rows } = await app.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'request_records'::regclass");
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  });
});
