import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { loadConnection, rotateConnectionSecrets, saveConnection } from "@/lib/security/connections";
import { keyId, sealedWith } from "@/lib/security/secret-box";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const TYK_SECRET = `tyk-${randomBytes(12).toString("hex")}`;
const LS_SECRET = `ls-${randomBytes(12).toString("hex")}`;

let fresh: FreshDatabase;
let db: PrismaClient;

async function rawRows(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query("SELECT to_jsonb(t)::text AS row FROM connections t");
  await c.end();
  return r.rows.map((x) => x.row).join("\n");
}

beforeAll(async () => {
  fresh = await freshDatabase();
  db = createDb(fresh.url);
});
afterAll(async () => {
  await db?.$disconnect();
  await fresh?.drop();
});

describe("connection secrets at rest", () => {
  it("are stored sealed (AES-GCM), never in clear, and open again with the key", async () => {
    await saveConnection(db, { kind: "tyk", baseUrl: "http://tyk.internal:3000", settings: {}, secret: TYK_SECRET }, { current: oldKey });
    await saveConnection(db, { kind: "lightstep", baseUrl: "https://api.lightstep.com", settings: { org: "acme", project: "prod" }, secret: LS_SECRET }, { current: oldKey });
    const raw = await rawRows(fresh.url);
    expect(raw).not.toContain(TYK_SECRET);
    expect(raw).not.toContain(LS_SECRET);
    expect(raw).toContain(`v1:${keyId(oldKey)}:`);
    expect((await loadConnection(db, "tyk", { current: oldKey }))?.secret).toBe(TYK_SECRET);
    await expect(loadConnection(db, "tyk", { current: newKey })).rejects.toThrow(/neither/);
  });

  it("a sealed value moved to another connection's row does not open (bound to its kind)", async () => {
    const tyk = await db.connection.findUniqueOrThrow({ where: { kind: "tyk" } });
    await db.connection.update({ where: { kind: "lightstep" }, data: { secretSealed: tyk.secretSealed } });
    await expect(loadConnection(db, "lightstep", { current: oldKey })).rejects.toThrow(/authentication/);
    await saveConnection(db, { kind: "lightstep", baseUrl: "https://api.lightstep.com", settings: { org: "acme", project: "prod" }, secret: LS_SECRET }, { current: oldKey });
  });

  it("rotate: with the old key as PREVIOUS, npm run secrets:rotate re-seals everything with the new key", async () => {
    const env = {
      ...process.env,
      DATABASE_URL: fresh.url,
      TOUCHLINE_ENCRYPTION_KEY: newKey.toString("base64"),
      TOUCHLINE_ENCRYPTION_KEY_PREVIOUS: oldKey.toString("base64"),
    };
    const { stdout } = await run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/secrets-rotate.ts"], { cwd: ROOT, env });
    expect(stdout).toContain("2 of 2");
    expect(stdout).not.toContain(TYK_SECRET);
    for (const row of await db.connection.findMany()) expect(sealedWith(row.secretSealed)).toBe(keyId(newKey));
    expect((await loadConnection(db, "lightstep", { current: newKey }))?.secret).toBe(LS_SECRET);
    expect(await rotateConnectionSecrets(db, { current: newKey, previous: oldKey })).toEqual({ resealed: 0, total: 2 });
  });
});
