import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { can, permissionsOfScopes, TOKEN_SCOPES, type Permission } from "../../lib/auth/permissions";
import type { Role } from "../../lib/auth/roles";
import { fillPattern, isPublic } from "../../lib/security/routes";
import { authFile } from "../fixtures";
import { allRoutes, APP_ORIGIN, consoleSnapshot, e2eEnv, expectErrorJson, randomSegment, send } from "./support";

// Every API route × every caller (the three roles and one console API token per scope), judged
// against the permission map: the permission comes from each route file's own apiRoute options.
const ROLES: Role[] = ["admin", "responder", "viewer"];
const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const cases = allRoutes()
  .filter((r) => r.kind === "api" && !isPublic(r.pattern))
  .flatMap((r) => r.methods.filter((m) => m.permission).map((m) => ({ route: r, method: m.method, permission: m.permission as Permission })));

interface Caller {
  label: string;
  ctx: APIRequestContext;
  allowed(p: Permission): boolean;
}

let callers: Caller[] = [];
let tokenIds: string[] = [];
let admin: APIRequestContext;

test.beforeAll(async () => {
  const contexts = await Promise.all(ROLES.map((role) => playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile(role) })));
  admin = contexts[0];
  callers = ROLES.map((role, i) => ({ label: role, ctx: contexts[i], allowed: (p: Permission) => can(role, p) }));
  for (const scope of Object.keys(TOKEN_SCOPES)) {
    const res = await send(admin, "POST", "/api/tokens", { data: { name: `security-matrix ${scope}`, scopes: [scope], expiresIn: "7d" } });
    expect(res.status(), `admin creates a ${scope} token`).toBe(201);
    const body = (await res.json()) as { token: string; tokenInfo: { id: string } };
    tokenIds.push(body.tokenInfo.id);
    const ctx = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, extraHTTPHeaders: { authorization: `Bearer ${body.token}` } });
    const granted = permissionsOfScopes([scope]);
    callers.push({ label: `token[${scope}]`, ctx, allowed: (p) => granted.includes(p) });
  }
});

test.afterAll(async () => {
  for (const id of tokenIds) await send(admin, "DELETE", `/api/tokens/${id}`);
  for (const c of callers) await c.ctx.dispose();
  callers = [];
  tokenIds = [];
});

test("the matrix covers routes with each kind of permission", () => {
  expect(cases.length).toBeGreaterThan(10);
  expect(cases.some((c) => WRITE.has(c.method))).toBe(true);
});

test("refused writes answer 403 and change nothing in the database", async () => {
  const env = e2eEnv();
  const before = await consoleSnapshot(env);
  let refused = 0;
  for (const c of cases.filter((x) => WRITE.has(x.method))) {
    for (const caller of callers.filter((k) => !k.allowed(c.permission))) {
      const url = fillPattern(c.route.pattern, randomSegment);
      // A body that would pass most validators, so only the permission check stands in the way.
      const res = await send(caller.ctx, c.method, url, { data: { name: "intruder", scopes: ["read"], target: "tyk", rules: [], priority: 1 } });
      const err = await expectErrorJson(res, 403, `${caller.label} ${c.method} ${c.route.pattern}`);
      expect(err.code).toBe("forbidden");
      refused++;
    }
  }
  expect(refused, "some caller lacks each write permission").toBeGreaterThan(0);
  expect(await consoleSnapshot(env)).toEqual(before);
});

test("every route answers every caller as the permission map says", async () => {
  const mismatches: string[] = [];
  for (const c of cases) {
    for (const caller of callers) {
      const url = fillPattern(c.route.pattern, randomSegment);
      const allowed = caller.allowed(c.permission);
      // Allowed writes get a body that is not JSON: past the permission check it can only be refused as bad input.
      const res = await send(caller.ctx, c.method, url, WRITE.has(c.method) && allowed ? { rawBody: "{not json" } : {});
      const status = res.status();
      const ok = allowed ? status !== 401 && status !== 403 && status < 500 : status === 403;
      if (!ok) mismatches.push(`${caller.label} ${c.method} ${c.route.pattern} [${c.permission}] → ${status}, expected ${allowed ? "allowed" : "403"}`);
    }
  }
  expect(mismatches).toEqual([]);
});

// Horizontal cases: one person's objects × another's requests. Incidents are the objects people
// own; their owner, title, visibility and link follow the owner-or-admin rule, while status,
// severity and notes are any responder's. A bot token never manages one.
test("horizontal: someone else's incident — owner, title, visibility and link are only the owner's or an admin's", async () => {
  const by = (label: string) => callers.find((c) => c.label === label)!;
  const [ada, rui, writer] = [by("admin"), by("responder"), by("token[incidents:write]")];
  const endpointId = ((await (await send(rui.ctx, "GET", "/api/endpoints?q=/orders")).json()) as { endpoints: { id: string }[] }).endpoints[0].id;
  const incident = async (owner: Caller) => {
    const now = Date.now();
    const res = await send(owner.ctx, "POST", "/api/incidents", { data: { endpointId, from: new Date(now - 3 * 3_600_000).toISOString(), to: new Date(now - 3_600_000).toISOString(), title: `Horizontal ${owner.label}`, severity: "sev4" } });
    expect(res.status(), `${owner.label} creates an incident`).toBe(201);
    return ((await res.json()) as { slug: string }).slug;
  };
  const adasIncident = await incident(ada);
  const ruisIncident = await incident(rui);
  const idOf = async (c: Caller) => ((await (await send(c.ctx, "GET", "/api/incidents/owners")).json()) as { me: string }).me;
  const [adaId, ruiId] = [await idOf(ada), await idOf(rui)];

  const managing = (slug: string, ownerId: string) => [
    ["PATCH", `/api/incidents/${slug}`, { ownerId }],
    ["PATCH", `/api/incidents/${slug}`, { title: "Taken over" }],
    ["PATCH", `/api/incidents/${slug}`, { visibility: "responders" }],
    ["POST", `/api/incidents/${slug}/revoke`, undefined],
    ["POST", `/api/incidents/${slug}/reshare`, undefined],
  ] as const;
  const env = e2eEnv();
  const before = await consoleSnapshot(env);
  const wrong: string[] = [];
  // Each time the owner asked for is someone other than the current one: a real takeover.
  for (const [caller, slug, newOwner] of [[rui, adasIncident, ruiId], [writer, ruisIncident, adaId], [writer, adasIncident, ruiId]] as const) {
    for (const [method, url, data] of managing(slug, newOwner)) {
      const res = await send(caller.ctx, method, url, data === undefined ? {} : { data });
      if (res.status() !== 403) wrong.push(`${caller.label} ${method} ${url} ${JSON.stringify(data ?? {})} → ${res.status()}`);
    }
  }
  expect(wrong, "someone else's incident").toEqual([]);
  expect(await consoleSnapshot(env), "refused takeovers change nothing").toEqual(before);

  // What any responder may do to anyone's incident.
  expect((await send(rui.ctx, "PATCH", `/api/incidents/${adasIncident}`, { data: { status: "mitigated" } })).status()).toBe(200);
  expect((await send(writer.ctx, "POST", `/api/incidents/${ruisIncident}/notes`, { data: { body: "bot note" } })).status()).toBe(201);
  // The owner and an admin may.
  expect((await send(rui.ctx, "PATCH", `/api/incidents/${ruisIncident}`, { data: { title: "Renamed by its owner" } })).status()).toBe(200);
  expect((await send(ada.ctx, "PATCH", `/api/incidents/${ruisIncident}`, { data: { visibility: "responders" } })).status()).toBe(200);
  expect((await send(ada.ctx, "POST", `/api/incidents/${ruisIncident}/revoke`)).status()).toBe(200);
});
