import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { createWorld } from "../world";
import { CONSOLE_USER_EMAIL, startTykSimulator, type TykSimulator } from "./server";

// Key writes and OAuth secret rotation as the Dashboard API does them, recorded in its audit log,
// and the simulated gateway's verdict on requests made with those keys, as Pump rows.
const API_KEY = "key-writes-test";
const world = createWorld({ seed: 23 });
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
let sim: TykSimulator;
let analytics: FreshDatabase;
let pump: pg.Client;

async function call(path: string, init: { method?: string; body?: unknown; rawBody?: string } = {}) {
  const res = await fetch(sim.url + path, {
    method: init.method ?? "GET",
    headers: { Authorization: API_KEY, "content-type": "application/json" },
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  // JSON.parse: the tests read whatever the simulator answers, field by field.
  return { status: res.status, json: JSON.parse(await res.text()) };
}
const policyId = (name: string) => world.stateAt(new Date()).policies.find((p) => p.name === name)!.id;
const auditOf = async (url: string) =>
  ((await call(`/api/audit-logs?p=-1&url=${encodeURIComponent(url)}`)).json.audit_logs as { method: string; url: string; user: string }[]);

beforeAll(async () => {
  analytics = await freshDatabase({ migrate: false });
  sim = await startTykSimulator({ world, apiKey: API_KEY, analyticsDatabaseUrl: analytics.url, pumpIntervalMs: 3_600_000 });
  pump = new pg.Client({ connectionString: analytics.url });
  await pump.connect();
});
afterAll(async () => {
  await pump?.end();
  await sim?.close();
  await analytics?.drop();
});

describe("key create, update, delete", () => {
  it("creates a key: the raw key once in key_id, its hash in key_hash; listings and GETs show only the hash", async () => {
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const body = { alias: "rui@acme.test", apply_policies: [policyId("free-tier")], meta_data: { email: "rui@acme.test", ticket: "INC-7" }, expires };
    const created = await call("/api/keys", { method: "POST", body });
    expect(created.status).toBe(200);
    const raw = created.json.key_id as string;
    expect(raw.startsWith(world.orgId)).toBe(true);
    expect(created.json.key_hash).toBe(sha(raw));
    expect(created.json.data).toMatchObject({ alias: "rui@acme.test", apply_policies: body.apply_policies, meta_data: body.meta_data, expires, org_id: world.orgId });
    // Policy rights come into the session, as the Dashboard shows them.
    expect(Object.keys(created.json.data.access_rights).length).toBeGreaterThan(0);

    const one = await call(`/api/keys/${created.json.key_hash}?hashed=1`);
    expect(one.status).toBe(200);
    expect(one.json.key_id).toBe(created.json.key_hash);
    expect(JSON.stringify(one.json)).not.toContain(raw);
    const listed = await call(`/api/keys/detailed?p=-1`);
    expect(listed.json.keys.map((k: { key_hash: string }) => k.key_hash)).toContain(created.json.key_hash);
    const apiId = Object.keys(created.json.data.access_rights)[0];
    expect((await call(`/api/apis/${apiId}/keys?p=-1`)).json.data.keys).toContain(created.json.key_hash);
    expect(await auditOf("/api/keys")).toContainEqual(expect.objectContaining({ method: "POST", url: "/api/keys", user: CONSOLE_USER_EMAIL }));
  });

  it("answers a body Go cannot decode with 403 'Request body malformed.' and creates nothing", async () => {
    const before = (await call(`/api/keys/detailed?p=-1`)).json.keys.length;
    for (const rawBody of ["{", JSON.stringify({ expires: "tomorrow" }), JSON.stringify([1])]) {
      const res = await call("/api/keys", { method: "POST", rawBody });
      expect(res).toEqual({ status: 403, json: { Status: "Error", Message: "Request body malformed.", Meta: null } });
    }
    expect((await call(`/api/keys/detailed?p=-1`)).json.keys.length).toBe(before);
  });

  it("replaces a session with PUT and deletes with DELETE (404 afterwards, and for a second delete)", async () => {
    const created = await call("/api/keys", { method: "POST", body: { alias: "tmp", apply_policies: [policyId("free-tier")] } });
    const hash = created.json.key_hash as string;
    const put = await call(`/api/keys/${hash}?hashed=1`, { method: "PUT", body: { ...created.json.data, expires: 1_700_000_000 } });
    expect(put.status).toBe(200);
    expect(put.json.data.expires).toBe(1_700_000_000);
    expect((await call(`/api/keys/${hash}?hashed=1`)).json.data.expires).toBe(1_700_000_000);
    const del = await call(`/api/keys/${hash}?hashed=1`, { method: "DELETE" });
    expect(del).toEqual({ status: 200, json: { Status: "OK", Message: "Key deleted successfully.", Meta: null } });
    expect((await call(`/api/keys/${hash}?hashed=1`)).status).toBe(404);
    expect((await call(`/api/keys/${hash}?hashed=1`, { method: "DELETE" })).json).toEqual({ Status: "Error", Message: "Could not retrieve key detail.", Meta: null });
    expect((await auditOf(`/api/keys/${hash}`)).map((a) => a.method).sort()).toEqual(["DELETE", "PUT"]);
  });

  it("deletes a world key too, through either path", async () => {
    const key = world.stateAt(new Date()).keys.find((k) => k.alias === "bob-dev")!;
    const apiId = world.stateAt(new Date()).policies.find((p) => p.id === key.policyIds[0])!.accessRights[0].apiId;
    expect((await call(`/api/apis/${apiId}/keys/${key.hash}?hashed=1`, { method: "DELETE" })).status).toBe(200);
    expect((await call(`/api/keys/${key.hash}?hashed=1`)).status).toBe(404);
    expect((await call(`/api/keys/detailed?p=-1`)).json.keys.map((k: { key_hash: string }) => k.key_hash)).not.toContain(key.hash);
  });
});

describe("OAuth client secret rotation", () => {
  it("regenerates the secret: answered once, listed from then on; unknown client 404, unknown API 400", async () => {
    const client = world.stateAt(new Date()).oauthClients[0];
    const before = (await call(`/api/apis/oauth/${client.apiId}`)).json.apps.find((a: { client_id: string }) => a.client_id === client.clientId);
    const rotated = await call(`/api/apis/oauth/${client.apiId}/${client.clientId}/rotate`, { method: "PUT" });
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ client_id: client.clientId, policy_id: client.policyId, redirect_uri: client.redirectUri });
    expect(rotated.json.secret).not.toBe(before.secret);
    const after = (await call(`/api/apis/oauth/${client.apiId}`)).json.apps.find((a: { client_id: string }) => a.client_id === client.clientId);
    expect(after.secret).toBe(rotated.json.secret);
    expect((await call(`/api/apis/oauth/${client.apiId}/nope/rotate`, { method: "PUT" })).status).toBe(404);
    expect((await call(`/api/apis/oauth/no-api/${client.clientId}/rotate`, { method: "PUT" })).status).toBe(400);
    expect(await auditOf(`/rotate`)).toHaveLength(1);
  });
});

describe("the simulated gateway's verdict, recorded by the pump", () => {
  const rows = async (apikey: string) =>
    (await pump.query<{ responsecode: number; alias: string }>(`SELECT responsecode::int AS responsecode, alias FROM tyk_analytics WHERE apikey = $1`, [apikey])).rows;

  it("serves a live key (200), then 401 once it expired and 403 once deleted; unknown keys 403", async () => {
    const created = await call("/api/keys", { method: "POST", body: { alias: "jit-probe", apply_policies: [policyId("free-tier")] } });
    const raw = created.json.key_id as string;
    const hash = created.json.key_hash as string;
    expect((await call("/_sim/requests", { method: "POST", body: { key: raw, count: 3 } })).json).toMatchObject({ served: 3, status: 200 });
    await call(`/api/keys/${hash}?hashed=1`, { method: "PUT", body: { ...created.json.data, expires: Math.floor(Date.now() / 1000) - 1 } });
    expect((await call("/_sim/requests", { method: "POST", body: { key: raw } })).json).toMatchObject({ status: 401, message: "Key has expired, please renew" });
    await call(`/api/keys/${hash}?hashed=1`, { method: "DELETE" });
    expect((await call("/_sim/requests", { method: "POST", body: { key: raw, count: 2 } })).json).toMatchObject({ status: 403 });
    const statuses = (await rows(hash)).map((r) => r.responsecode).sort();
    expect(statuses).toEqual([200, 200, 200, 401, 403, 403]);
    expect((await call("/_sim/requests", { method: "POST", body: { key: `${world.orgId}ffffffff` } })).json.status).toBe(403);
  });

  it("refuses bad input with 400 naming the field", async () => {
    expect((await call("/_sim/requests", { method: "POST", body: {} })).status).toBe(400);
    expect((await call("/_sim/requests", { method: "POST", body: { key: "x", count: 0 } })).json.Message).toMatch(/^count/);
  });

  it("turns the world's own traffic on a deleted world key away with 403 from the deletion on", async () => {
    const key = world.stateAt(new Date()).keys.find((k) => k.alias === "web-frontend")!;
    const deletedAt = Date.now();
    await call(`/api/keys/${key.hash}?hashed=1`, { method: "DELETE" });
    await new Promise((r) => setTimeout(r, 5_000));
    await sim.pump!.flush();
    const { rows: after } = await pump.query<{ responsecode: number }>(
      `SELECT responsecode::int AS responsecode FROM tyk_analytics WHERE apikey = $1 AND "timestamp" >= $2`, [key.hash, new Date(deletedAt + 50)]);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((r) => r.responsecode))).toEqual(new Set([403]));
    const { rows: before } = await pump.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tyk_analytics WHERE apikey = $1 AND "timestamp" < $2 AND responsecode <> 403`, [key.hash, new Date(deletedAt)]);
    expect(before[0].n).toBeGreaterThan(0);
  });

  it("hides a live write when the clock is set before it", async () => {
    const created = await call("/api/keys", { method: "POST", body: { alias: "time-travel" } });
    sim.setClock(new Date(Date.now() - 3_600_000));
    expect((await call(`/api/keys/${created.json.key_hash}?hashed=1`)).status).toBe(404);
    sim.setClock(null);
    expect((await call(`/api/keys/${created.json.key_hash}?hashed=1`)).status).toBe(200);
  });
});
