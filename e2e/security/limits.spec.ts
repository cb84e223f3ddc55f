import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { fillPattern, isPublic } from "../../lib/security/routes";
import { authFile } from "../fixtures";
import { allRoutes, APP_ORIGIN, dbQuery, expectErrorJson, randomSegment, send } from "./support";

// Limits on abuse, for every route the discovery finds: bodies are capped before they are read
// (1 MB on the API, 16 kB on sign-in), a body that trickles in is given up on (408), methods no
// route has are 405 JSON, every API answer is no-store, the client's address is the peer's (a
// forged X-Forwarded-For is not believed), and investigations are rate-limited per caller.
const routes = allRoutes();
const apiHandlers = routes.filter((r) => r.kind === "api" && !isPublic(r.pattern)).flatMap((r) => r.methods.filter((m) => m.method !== "HEAD").map((m) => ({ route: r, method: m.method })));
const TWO_MB = "x".repeat(2 * 1024 * 1024);

let admin: APIRequestContext;
test.beforeAll(async () => {
  admin = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
});
test.afterAll(async () => admin.dispose());

/** Raw HTTP/1.1 on a socket: what a slow or lying client sends. Resolves with the status line's code. */
function rawRequest(head: string, body: string): Promise<{ status: number; text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(4000, "localhost");
    let text = "";
    socket.setTimeout(60_000, () => socket.destroy(new Error("no answer within 60 s")));
    // Until the JSON error body has arrived (the server keeps the connection open).
    socket.on("data", (d) => {
      text += d.toString("utf8");
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m && /\r\n\r\n[\s\S]*\}\}/.test(text)) {
        socket.destroy();
        resolve({ status: Number(m[1]), text, ms: Date.now() - started });
      }
    });
    socket.on("error", reject);
    socket.write(`${head}\r\n\r\n${body}`);
  });
}

test("every API handler refuses a body over 1 MB before reading it (413 JSON naming the body)", async () => {
  expect(apiHandlers.length).toBeGreaterThan(30);
  const wrong: string[] = [];
  for (const { route, method } of apiHandlers) {
    const url = fillPattern(route.pattern, randomSegment);
    const res = await send(admin, method, url, { rawBody: TWO_MB });
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; field?: string } } | null;
    if (res.status() !== 413 || body?.error?.field !== "body") wrong.push(`${method} ${route.pattern} → ${res.status()}`);
  }
  expect(wrong).toEqual([]);
});

test("sign-in's routes refuse a body over 16 kB, anonymous or not, and a body without a length past the cap", async () => {
  for (const path of ["/api/auth/signin/oidc", "/api/auth/callback/oidc", "/api/auth/signout", "/api/auth/session"]) {
    await expectErrorJson(await send(admin, "POST", path, { rawBody: "a=".concat("b".repeat(20_000)), headers: { "content-type": "application/x-www-form-urlencoded" } }), 413, `POST ${path}`);
  }
  // Chunked (no Content-Length): counted as it streams.
  const chunk = "b".repeat(32 * 1024);
  const chunked = await rawRequest("POST /api/auth/signout HTTP/1.1\r\nHost: localhost:4000\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked", `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
  expect(chunked.status).toBe(413);
  // A body that would make next-auth throw (JSON that does not parse) is a 400, not a 500.
  await expectErrorJson(await send(admin, "POST", "/api/auth/signout", { rawBody: "{not json" }), 400, "malformed JSON to next-auth");
});

test("a body that trickles in is given up on with 408, on the API and on sign-in", async () => {
  // Signed in (an anonymous caller is refused before its body is read at all).
  const state = JSON.parse(readFileSync(authFile("admin"), "utf8")) as { cookies: { name: string; value: string }[] };
  const cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  for (const path of ["/api/tokens", "/api/auth/signout"]) {
    const res = await rawRequest(`POST ${path} HTTP/1.1\r\nHost: localhost:4000\r\nOrigin: ${APP_ORIGIN}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 1000`, "{\"name\":");
    expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(408);
    expect(res.text).toContain("request_timeout");
  }
});

test("methods no route has answer 405 JSON on every page and API route (not 500)", async ({ request }) => {
  const wrong: string[] = [];
  for (const route of routes) {
    const url = fillPattern(route.pattern, randomSegment);
    for (const method of ["TRACE", "PROPFIND", "MKCOL", "LOCK"]) {
      const res = await send(request, method, url);
      const ok = res.status() === 405 && (res.headers()["content-type"] ?? "").includes("application/json") && (res.headers()["allow"] ?? "").includes("GET");
      if (!ok) wrong.push(`${method} ${route.pattern} → ${res.status()}`);
    }
  }
  expect(wrong).toEqual([]);
});

test("every API answer says Cache-Control: no-store, to every caller", async ({ request }) => {
  const wrong: string[] = [];
  for (const { route, method } of apiHandlers) {
    const url = fillPattern(route.pattern, randomSegment);
    for (const [who, ctx] of [["anonymous", request], ["admin", admin]] as const) {
      const res = await send(ctx, method, url, method === "GET" ? {} : { rawBody: "{not json" });
      if (!/no-store/.test(res.headers()["cache-control"] ?? "")) wrong.push(`${who} ${method} ${route.pattern} → ${res.status()} ${res.headers()["cache-control"]}`);
    }
  }
  for (const path of ["/api/health", "/api/auth/session", "/api/auth/csrf", "/api/auth/providers"]) {
    if (!/no-store/.test((await send(request, "GET", path)).headers()["cache-control"] ?? "")) wrong.push(`GET ${path}`);
  }
  expect(wrong).toEqual([]);
});

test("a forged X-Forwarded-For is not believed: the audit trail stores the peer's address", async () => {
  const created = await send(admin, "POST", "/api/tokens", { data: { name: "xff-probe", scopes: ["sync:run"], expiresIn: "7d" }, headers: { "x-forwarded-for": `6.6.6.6, ${"A".repeat(12_000)}` } });
  expect(created.status()).toBe(201);
  const { tokenInfo } = (await created.json()) as { tokenInfo: { id: string } };
  const [row] = await dbQuery<{ ip: string }>("SELECT ip FROM audit_events WHERE action = 'token.create' AND target_id = $1", [tokenInfo.id]);
  expect(row.ip).toMatch(/^(127\.0\.0\.1|::1)$/);
  await send(admin, "DELETE", `/api/tokens/${tokenInfo.id}`);
});

test("investigations: one caller's distinct windows are rate-limited (429 + Retry-After); windows within a minute share a computation", async () => {
  const created = await send(admin, "POST", "/api/tokens", { data: { name: "investigation-flood", scopes: ["read"], expiresIn: "7d" } });
  const { token, tokenInfo } = (await created.json()) as { token: string; tokenInfo: { id: string } };
  const bot = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const endpoints = (await (await bot.get("/api/endpoints?q=/orders")).json()) as { endpoints: { id: string }[] };
  const id = endpoints.endpoints[0].id;
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 6 * 3_600_000;
  const window = (minutes: number, jitterMs = 0) => `/api/endpoints/${id}/investigation?from=${new Date(hour + jitterMs).toISOString()}&to=${new Date(hour + minutes * 60_000 + jitterMs).toISOString()}`;

  // The same window give or take seconds is one computation: no turn is spent on the repeats.
  for (let i = 0; i < 40; i++) expect((await bot.get(window(60, (i % 50) * 1000))).status(), `repeat ${i}`).toBe(200);
  let limited: { status: number; retryAfter: string | undefined } | null = null;
  for (let m = 61; m < 61 + 40 && !limited; m++) {
    const res = await bot.get(window(m));
    if (res.status() !== 200) limited = { status: res.status(), retryAfter: res.headers()["retry-after"] };
  }
  expect(limited?.status).toBe(429);
  expect(Number(limited?.retryAfter)).toBeGreaterThan(0);
  await bot.dispose();
  await send(admin, "DELETE", `/api/tokens/${tokenInfo.id}`);
});
