import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld } from "../world";
import { startTykSimulator, CONSOLE_USER_EMAIL, type TykSimulator } from "./server";

const API_KEY = "test-dashboard-key";
const world = createWorld({ seed: 11 });
let sim: TykSimulator;

async function call(path: string, init: RequestInit & { key?: string | null } = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (init.key !== null) headers.Authorization = init.key ?? API_KEY;
  const res = await fetch(sim.url + path, { ...init, headers });
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) };
}
const getJson = async (path: string) => (await call(path)).json();

beforeAll(async () => {
  sim = await startTykSimulator({ world, apiKey: API_KEY });
});
afterAll(async () => {
  await sim.close();
});

describe("auth and errors", () => {
  it("answers 401 with Tyk's body for a missing or wrong key, accepts raw and Bearer keys", async () => {
    for (const key of [null, "wrong"]) {
      const { res, json } = await call("/api/apis", { key });
      expect(res.status).toBe(401);
      expect(json()).toEqual({ Status: "Error", Message: "Not authorised", Meta: null });
    }
    expect((await call("/api/apis", { key: `Bearer ${API_KEY}` })).res.status).toBe(200);
    expect((await call("/api/apis")).res.status).toBe(200);
  });

  it("answers 404 with the same envelope for unknown routes and ids", async () => {
    const { res, json } = await call("/api/nope");
    expect(res.status).toBe(404);
    expect(json()).toMatchObject({ Status: "Error", Meta: null });
    expect((await call("/api/portal/policies/000000000000000000000000")).res.status).toBe(404);
  });
});

describe("envelopes", () => {
  it("lists APIs as {apis:[{api_definition}], pages} and serves one by api_id", async () => {
    const body = await getJson("/api/apis?p=-2");
    expect(body.pages).toBe(1);
    const names = body.apis.map((a: { api_definition: { name: string } }) => a.api_definition.name);
    expect(names).toEqual(expect.arrayContaining(["Orders API", "Payments API", "Reports API", "Catalog API", "Users API"]));
    const orders = body.apis.find((a: { api_definition: { name: string } }) => a.api_definition.name === "Orders API").api_definition;
    expect(orders).toMatchObject({ api_id: world.incident.endpoint.apiId, proxy: { listen_path: "/orders/" }, org_id: world.orgId });
    const one = await getJson(`/api/apis/${orders.api_id}`);
    expect(one.api_definition.api_id).toBe(orders.api_id);
  });

  it("lists an API's OAuth clients as {apps, pages}, secret included as the Dashboard does; 404 for an unknown API", async () => {
    const ordersId = world.incident.endpoint.apiId;
    const body = await getJson(`/api/apis/oauth/${ordersId}`);
    expect(body.pages).toBe(1);
    expect(body.apps.length).toBeGreaterThan(0);
    for (const app of body.apps) {
      expect(app).toMatchObject({ client_id: expect.stringMatching(/^[0-9a-f]{32}$/), secret: expect.any(String), policy_id: expect.any(String) });
    }
    expect((await call("/api/apis/oauth/no-such-api")).res.status).toBe(404);
  });

  it("lists policies as {Data, Pages} and shows partner-gold at 2000/s", async () => {
    const body = await getJson("/api/portal/policies");
    expect(Object.keys(body).sort()).toEqual(["Data", "Pages"]);
    const gold = body.Data.find((p: { name: string }) => p.name === "partner-gold");
    expect(gold).toMatchObject({ _id: world.incident.policyId, rate: 2000, per: 1 });
    expect(typeof gold.last_updated).toBe("string");
    expect(Object.keys(gold.access_rights)).toContain(world.incident.endpoint.apiId);
    expect(await getJson(`/api/portal/policies/${gold._id}`)).toEqual(gold);
  });

  it("lists an API's keys as {data:{keys}, pages} and serves KeyData", async () => {
    const apiId = world.incident.endpoint.apiId;
    const body = await getJson(`/api/apis/${apiId}/keys?p=-1`);
    expect(body.data.keys).toContain(world.incident.culpritKeyHash);
    const key = await getJson(`/api/apis/${apiId}/keys/${world.incident.culpritKeyHash}`);
    expect(key).toMatchObject({ key_id: world.incident.culpritKeyHash, key_hash: world.incident.culpritKeyHash,
      data: { alias: "globex-batch", apply_policies: [world.incident.policyId], rate: 2000, expires: 0, is_inactive: false } });
    expect(key.data.access_rights[apiId].api_id).toBe(apiId);
    expect((await call(`/api/apis/${apiId}/keys/deadbeef`)).res.status).toBe(404);
  });

  it("lists detailed keys and users", async () => {
    const keys = await getJson("/api/keys/detailed?p=-2");
    const aliases = keys.keys.map((k: { data: { alias: string } }) => k.data.alias);
    expect(aliases).toEqual(expect.arrayContaining(["globex-batch", "search-indexer", "mobile-app", "maya-dev"]));
    expect(aliases).not.toContain("trial-wayne"); // revoked during the day
    expect(aliases.filter((a: string) => a === "mobile-app")).toHaveLength(1); // rotated: only the new one
    const users = await getJson("/api/users");
    const emails = users.users.map((u: { email_address: string }) => u.email_address);
    expect(emails).toEqual(expect.arrayContaining(["ada@acme.test", "rui@acme.test", "vera@acme.test"]));
    expect(users.users[0]).toHaveProperty("user_permissions");
  });
});

describe("pagination", () => {
  it("walks every page (size 10) and matches p=-2 and p=0", async () => {
    const all = (await getJson("/api/keys/detailed?p=-2")).keys.map((k: { key_id: string }) => k.key_id);
    expect(all.length).toBeGreaterThan(10);
    const first = await getJson("/api/keys/detailed?p=1");
    expect(first.pages).toBe(Math.ceil(all.length / 10));
    expect(first.keys).toHaveLength(10);
    const walked: string[] = [];
    for (let p = 1; p <= first.pages; p++) walked.push(...(await getJson(`/api/keys/detailed?p=${p}`)).keys.map((k: { key_id: string }) => k.key_id));
    expect(walked).toEqual(all);
    expect((await getJson("/api/keys/detailed?p=0")).keys).toHaveLength(all.length);
    expect((await getJson(`/api/keys/detailed?p=${first.pages + 1}`)).keys).toEqual([]);
  });
});

describe("audit log", () => {
  it("holds the world's writes with the documented fields", async () => {
    const body = await getJson("/api/audit-logs?p=-2");
    const rec = body.audit_logs.find((r: { url: string; method: string }) =>
      r.method === "PUT" && r.url === `/api/portal/policies/${world.incident.policyId}`);
    expect(Object.keys(rec).sort()).toEqual(["_id", "action", "date", "ip", "method", "org_id", "req_id", "status", "timestamp", "url", "user"]);
    expect(rec.user).toBe("ada@acme.test");
    expect(rec.timestamp).toBe(Math.floor((world.anchor.getTime() - 125 * 60_000) / 1000));
    expect(rec.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+00$/);
    expect(body.audit_logs.some((r: { action: string; method: string }) => r.action === "List APIs" || r.method === "GET")).toBe(true);
  });

  it("filters by user, method, url substring, status, action and date", async () => {
    const f = async (qs: string) => (await getJson(`/api/audit-logs?p=-2&${qs}`)).audit_logs as Record<string, unknown>[];
    const rui = await f("user=rui@acme.test");
    expect(rui.length).toBeGreaterThan(0);
    expect(rui.every((r) => r.user === "rui@acme.test")).toBe(true);
    const deletes = await f("method=DELETE");
    expect(deletes.length).toBeGreaterThanOrEqual(3);
    expect(deletes.every((r) => r.method === "DELETE")).toBe(true);
    const policies = await f("url=portal/policies");
    expect(policies.every((r) => String(r.url).includes("portal/policies"))).toBe(true);
    expect(await f("status=500")).toEqual([]);
    expect((await f("action=List%20APIs")).every((r) => r.action === "List APIs")).toBe(true);
    expect(await f("from_date=2001-01-01&to_date=2001-01-02")).toEqual([]);
    const day = world.anchor.toISOString().slice(0, 10);
    expect((await f(`from_date=${day}&to_date=${day}`)).every((r) => new Date(Number(r.timestamp) * 1000).toISOString().startsWith(day))).toBe(true);
  });

  it("answers 404 when the install has no audit API", async () => {
    const off = await startTykSimulator({ world, apiKey: API_KEY, auditLog: false });
    try {
      const res = await fetch(`${off.url}/api/audit-logs`, { headers: { Authorization: API_KEY } });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ Status: "Error", Meta: null });
    } finally {
      await off.close();
    }
  });
});

describe("writes", () => {
  it("PUT a policy, then GET shows the change and the audit log records who did it", async () => {
    const id = world.incident.policyId;
    const current = await getJson(`/api/portal/policies/${id}`);
    const put = await call(`/api/portal/policies/${id}`, { method: "PUT", body: JSON.stringify({ ...current, rate: 150 }),
      headers: { "Content-Type": "application/json" } });
    expect(put.res.status).toBe(200);
    expect(put.json()).toMatchObject({ Status: "OK", Meta: null });
    expect((await getJson(`/api/portal/policies/${id}`)).rate).toBe(150);
    const key = await getJson(`/api/apis/${world.incident.endpoint.apiId}/keys/${world.incident.culpritKeyHash}`);
    expect(key.data.rate).toBe(150);
    const audit = (await getJson(`/api/audit-logs?p=-2&user=${CONSOLE_USER_EMAIL}`)).audit_logs;
    expect(audit.at(-1)).toMatchObject({ method: "PUT", url: `/api/portal/policies/${id}`, status: 200 });
    const bad = await call(`/api/portal/policies/${id}`, { method: "PUT", body: "{oops" });
    expect(bad.res.status).toBe(400);
  });
});

describe("faults", () => {
  it("500 for a number of requests, then recovers", async () => {
    sim.setFault({ kind: "500", times: 2 });
    expect((await call("/api/apis")).res.status).toBe(500);
    expect((await call("/api/apis")).res.status).toBe(500);
    expect((await call("/api/apis")).res.status).toBe(200);
  });

  it("429 with Retry-After, only on matching paths", async () => {
    sim.setFault({ kind: "429", retryAfterSeconds: 3, path: /portal\/policies/ });
    expect((await call("/api/apis")).res.status).toBe(200);
    const { res } = await call("/api/portal/policies");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    sim.setFault(null);
    expect((await call("/api/portal/policies")).res.status).toBe(200);
  });

  it("slow still answers correctly; truncated bodies do not parse", async () => {
    sim.setFault({ kind: "slow", ms: 50, times: 1 });
    expect((await call("/api/users")).json().users.length).toBeGreaterThan(0);
    sim.setFault({ kind: "truncated", times: 1 });
    const { res, json } = await call("/api/users");
    expect(res.status).toBe(200);
    expect(json).toThrow();
  });

  it("rename-field drifts the envelope; empty-page lists nothing but keeps pages", async () => {
    sim.setFault({ kind: "rename-field", times: 1 });
    const renamed = await getJson("/api/apis");
    expect(renamed).not.toHaveProperty("apis");
    expect(renamed).toHaveProperty("apis_renamed");
    sim.setFault({ kind: "empty-page", times: 1 });
    const empty = await getJson("/api/keys/detailed?p=1");
    expect(empty.keys).toEqual([]);
    expect(empty.pages).toBe(2);
    expect((await getJson("/api/keys/detailed?p=1")).keys).toHaveLength(10);
  });

  it("counts requests", async () => {
    const before = sim.requestCount();
    await call("/api/apis");
    expect(sim.requestCount()).toBe(before + 1);
  });
});
