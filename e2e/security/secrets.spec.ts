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

test("keys and secrets Touchline issues (a rotation's key, a temporary key, an OAuth secret) are shown once, never stored, echoed or logged", async () => {
  const env = e2eEnv();
  const admin = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
  const responder = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("responder") });
  const json = async <T>(p: Promise<{ json(): Promise<unknown> }>) => (await (await p).json()) as T;

  const keys = await json<{ items: { keyHash: string; alias: string | null }[] }>(send(admin, "GET", "/api/keys?q=bob-dev"));
  const rotated = await send(admin, "POST", "/api/rotations", { data: { keyHash: keys.items[0].keyHash, graceHours: 24 } });
  expect(rotated.status()).toBe(201);
  expect(rotated.headers()["cache-control"]).toContain("no-store");
  const { rotation, key: rotationKey } = (await rotated.json()) as { rotation: { id: string }; key: string };

  const policy = (await json<{ policies: { id: string; name: string }[] }>(send(admin, "GET", "/api/policies"))).policies.find((p) => p.name === "free-tier")!;
  await send(admin, "POST", "/api/access-settings/offers", { data: { policyId: policy.id, maxMinutes: 30 } });
  const { request } = await json<{ request: { id: string } }>(send(responder, "POST", "/api/access-requests", { data: { policyId: policy.id, reason: "secrets probe", durationMinutes: 10 } }));
  expect((await send(admin, "POST", `/api/access-requests/${request.id}/approve`, { data: {} })).status()).toBe(200);
  const { key: temporaryKey } = await json<{ key: string }>(send(responder, "POST", `/api/access-requests/${request.id}/issue`));

  const oauth = await json<{ items: { id: string; label: string }[] }>(send(admin, "GET", "/api/hygiene?kind=oauth"));
  const { secret } = await json<{ secret: string }>(send(admin, "POST", `/api/oauth-clients/${oauth.items[0].id}/rotate-secret`));
  const issued = { rotationKey, temporaryKey, secret };
  expect(Object.values(issued).every((v) => typeof v === "string" && v.length >= 20)).toBe(true);

  // Not echoed by any later answer.
  const found: string[] = [];
  for (const url of ["/api/rotations", `/api/rotations/${rotation.id}`, "/api/access-requests?scope=all", `/api/access-requests/${request.id}`, "/api/hygiene", "/api/hygiene?kind=oauth", "/api/keys", "/api/audit-events?limit=200", "/api/hygiene/export?kind=keys"]) {
    found.push(...leaks(await (await send(admin, "GET", url)).text(), issued).map((k) => `${k} in ${url}`));
  }
  found.push(...leaks(await (await send(responder, "GET", "/api/access-requests")).text(), issued).map((k) => `${k} in the requester's list`));

  // Not stored in any table.
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  const tables = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  for (const { name } of tables.rows) {
    const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" t WHERE to_jsonb(t)::text LIKE ANY ($1::text[])`, [Object.values(issued).map((n) => `%${n}%`)]);
    if (r.rows[0].n > 0) found.push(`${name}: ${r.rows[0].n} rows`);
  }
  await client.end();

  // Nothing is left to expire or delete while later specs compare database snapshots.
  await send(admin, "POST", `/api/rotations/${rotation.id}/cancel`);
  await send(responder, "POST", `/api/access-requests/${request.id}/withdraw`);
  await send(admin, "DELETE", `/api/access-settings/offers/${policy.id}`);
  await Promise.all([admin.dispose(), responder.dispose()]);

  // Not logged.
  const logs = filesUnder(path.join(REPO_ROOT, ".data", "logs", "e2e")).filter((f) => f.endsWith(".log"));
  found.push(...logs.flatMap((f) => leaks(readFileSync(f, "utf8"), issued).map((k) => `${k} in ${path.relative(REPO_ROOT, f)}`)));
  expect(found).toEqual([]);
});
