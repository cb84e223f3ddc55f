import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { createWorld } from "../../simulators/world";
import { authFile } from "../fixtures";
import { APP_ORIGIN, e2eEnv, REPO_ROOT, send } from "./support";

// No secret of the stack (session secret, OIDC client secret, Tyk and Lightstep keys, database
// password), no raw Tyk key and no console token may show up in the client bundle, the logs, the
// API's answers or the database.

function filesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) filesUnder(full, out);
    else out.push(full);
  }
  return out;
}

function stackSecrets(): Record<string, string> {
  const env = e2eEnv();
  const password = decodeURIComponent(new URL(env.databaseUrl).password);
  // The embedded test server's password is a fixed dictionary word (it appears in every log line as
  // the service name); a real deployment's password is long and random, so only such a one is scanned for.
  return { ...env.secrets, ...(password.length >= 16 ? { DATABASE_PASSWORD: password } : {}) };
}

/** Every raw key the simulated Tyk ever issued (the seed fixes them; scanning the whole day catches rotations). */
function rawTykKeys(): string[] {
  const world = createWorld({ seed: 42 });
  const keys = new Set<string>();
  for (let t = world.anchor.getTime() - 26 * 3600_000; t <= world.anchor.getTime() + 3600_000; t += 5 * 60_000) {
    for (const k of world.stateAt(new Date(t)).keys) keys.add(k.rawKey);
  }
  return [...keys];
}

function leaks(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets).filter(([, v]) => v && v.length >= 8 && text.includes(v)).map(([k]) => k);
}

test("the client bundle holds no secret", () => {
  const files = filesUnder(path.join(REPO_ROOT, ".next-e2e", "static"));
  expect(files.length, "the e2e build's static files").toBeGreaterThan(0);
  const secrets = stackSecrets();
  const found = files.flatMap((f) => leaks(readFileSync(f, "latin1"), secrets).map((k) => `${k} in ${path.relative(REPO_ROOT, f)}`));
  expect(found).toEqual([]);
});

test("a console token is shown once, stored only as a hash, and never echoed or logged", async () => {
  const env = e2eEnv();
  const admin = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
  const created = await send(admin, "POST", "/api/tokens", { data: { name: "secrets-probe", scopes: ["read"], expiresIn: "7d" } });
  expect(created.status()).toBe(201);
  const { token, tokenInfo } = (await created.json()) as { token: string; tokenInfo: { id: string } };
  const bot = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect((await send(bot, "GET", "/api/me")).status()).toBe(200);
  const answers = await Promise.all(["/api/tokens", "/api/me", "/api/audit-events?limit=50"].map(async (u) => (await send(admin, "GET", u)).text()));
  expect(answers.filter((a) => a.includes(token))).toEqual([]);
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  const hits = await client.query("SELECT count(*)::int AS n FROM api_tokens t WHERE to_jsonb(t)::text LIKE '%' || $1 || '%'", [token]);
  expect(hits.rows[0].n, "raw token stored").toBe(0);
  await client.end();
  await send(admin, "DELETE", `/api/tokens/${tokenInfo.id}`);
  await Promise.all([admin.dispose(), bot.dispose()]);
  const logs = filesUnder(path.join(REPO_ROOT, ".data", "logs", "e2e")).filter((f) => f.endsWith(".log"));
  expect(logs.filter((f) => readFileSync(f, "utf8").includes(token))).toEqual([]);
});

test("the stack's logs hold no secret and no raw Tyk key", () => {
  const logs = filesUnder(path.join(REPO_ROOT, ".data", "logs", "e2e")).filter((f) => f.endsWith(".log"));
  expect(logs.length).toBeGreaterThan(0);
  const secrets = stackSecrets();
  const keys = Object.fromEntries(rawTykKeys().map((k, i) => [`raw Tyk key #${i}`, k]));
  const found = logs.flatMap((f) => leaks(readFileSync(f, "utf8"), { ...secrets, ...keys }).map((k) => `${k} in ${path.relative(REPO_ROOT, f)}`));
  expect(found).toEqual([]);
});

test("API answers hold no secret and no raw Tyk key", async () => {
  const admin = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
  const secrets = { ...stackSecrets(), ...Object.fromEntries(rawTykKeys().map((k, i) => [`raw Tyk key #${i}`, k])) };
  const found: string[] = [];
  for (const url of ["/api/me", "/api/keys", "/api/policies", "/api/endpoints", "/api/sync/status", "/api/audit-events?limit=200", "/api/calls?limit=200", "/api/tokens"]) {
    const res = await send(admin, "GET", url);
    found.push(...leaks(await res.text(), secrets).map((k) => `${k} in ${url}`));
  }
  await admin.dispose();
  expect(found).toEqual([]);
});

test("the database holds no raw Tyk key and no plaintext connection secret", async () => {
  const env = e2eEnv();
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  const tables = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  const needles = [...rawTykKeys(), ...Object.values(env.secrets).filter((s) => s.length >= 8)];
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const r = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${name}" t WHERE to_jsonb(t)::text LIKE ANY ($1::text[])`,
      [needles.map((n) => `%${n}%`)],
    );
    if (r.rows[0].n > 0) found.push(`${name}: ${r.rows[0].n} rows`);
  }
  await client.end();
  expect(found).toEqual([]);
});
