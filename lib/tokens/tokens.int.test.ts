import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { SYSTEM_ACTOR } from "@/lib/audit/context";
import { auditKeysFrom } from "@/lib/audit/keys";
import { recordAudit } from "@/lib/audit/record";
import { authenticateToken, createToken, listTokens, revokeToken } from "./service";
import { hashToken } from "./token";

const who = { actor: SYSTEM_ACTOR };

describe("token service against a fresh database", () => {
  let fresh: FreshDatabase;
  let db: ReturnType<typeof createDb>;
  let sql: pg.Client;

  beforeAll(async () => {
    fresh = await freshDatabase();
    db = createDb(fresh.url);
    sql = new pg.Client({ connectionString: fresh.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await db?.$disconnect();
    await fresh?.drop();
  });

  it("stores only the hash: the raw token appears nowhere in the table or the audit trail", async () => {
    const { token, view } = await createToken(db, { name: "chat-ops", scopes: ["read"], expiresAt: null, createdBy: "system" }, who);
    const dump = await sql.query("SELECT row_to_json(t)::text AS j FROM api_tokens t UNION ALL SELECT row_to_json(a)::text FROM audit_events a");
    const text = dump.rows.map((r) => r.j as string).join("\n");
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(11)); // not even the secret part without the prefix
    expect(text).toContain(hashToken(token));
    expect(view.prefix).toBe(token.slice(0, 11));
    const audit = await sql.query("SELECT action, actor_type, target_id FROM audit_events WHERE action = 'token.create'");
    expect(audit.rows).toEqual([{ action: "token.create", actor_type: "system", target_id: view.id }]);
  });

  it("authenticates an active token, stamps last_used_at, and refuses revoked, expired and unknown ones", async () => {
    const { token, view } = await createToken(db, { name: "bot", scopes: ["read", "incidents:write"], expiresAt: null, createdBy: "ada@acme.test" }, who);
    const ok = await authenticateToken(db, token);
    expect(ok).toMatchObject({ ok: true, token: { id: view.id, scopes: ["read", "incidents:write"] } });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: view.id } })).lastUsedAt).toBeInstanceOf(Date);

    expect((await revokeToken(db, view.id, who))?.status).toBe("revoked");
    expect(await authenticateToken(db, token)).toEqual({ ok: false, reason: "revoked" });
    expect(await revokeToken(db, "nope", who)).toBeNull();

    const soon = await createToken(db, { name: "short", scopes: ["read"], expiresAt: new Date(Date.now() + 60_000), createdBy: "system" }, who);
    expect(await authenticateToken(db, soon.token, new Date(Date.now() + 120_000))).toEqual({ ok: false, reason: "expired" });

    expect(await authenticateToken(db, `tl_${"A".repeat(43)}`)).toEqual({ ok: false, reason: "unknown" });
    expect(await authenticateToken(db, "tl_short")).toEqual({ ok: false, reason: "malformed" });

    const statuses = Object.fromEntries((await listTokens(db)).map((t) => [t.name, t.status]));
    expect(statuses).toMatchObject({ bot: "revoked", short: "active", "chat-ops": "active" });
  });

  it("refuses a token without scopes", async () => {
    await expect(createToken(db, { name: "x", scopes: [], expiresAt: null, createdBy: "system" }, who)).rejects.toThrow(/scope/);
  });

  it("makes no token it cannot audit: without the audit key after keyed rows, nothing is created", async () => {
    const saved = { key: process.env.TOUCHLINE_AUDIT_KEY, previous: process.env.TOUCHLINE_AUDIT_KEY_PREVIOUS };
    await recordAudit(db, { actor: SYSTEM_ACTOR, action: "test.keyed" }, auditKeysFrom({ TOUCHLINE_AUDIT_KEY: randomBytes(32).toString("base64") }));
    const before = await db.apiToken.count();
    delete process.env.TOUCHLINE_AUDIT_KEY;
    delete process.env.TOUCHLINE_AUDIT_KEY_PREVIOUS;
    try {
      await expect(createToken(db, { name: "unaudited", scopes: ["read"], expiresAt: null, createdBy: "system" }, who))
        .rejects.toThrow(/TOUCHLINE_AUDIT_KEY is not set/);
    } finally {
      if (saved.key !== undefined) process.env.TOUCHLINE_AUDIT_KEY = saved.key;
      if (saved.previous !== undefined) process.env.TOUCHLINE_AUDIT_KEY_PREVIOUS = saved.previous;
    }
    expect(await db.apiToken.count()).toBe(before);
  });
});
