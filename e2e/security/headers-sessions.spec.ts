import { readFileSync } from "node:fs";
import { expect, request as playwrightRequest, test, type APIResponse } from "@playwright/test";
import { authFile } from "../fixtures";
import { fillPattern } from "../../lib/security/routes";
import { allRoutes, APP_ORIGIN, consoleSnapshot, e2eEnv, expectErrorJson, randomSegment, send } from "./support";

function expectSecurityHeaders(res: APIResponse, where: string) {
  const h = res.headers();
  const csp = h["content-security-policy"] ?? "";
  expect(csp, `${where}: CSP`).toContain("default-src 'self'");
  expect(csp, `${where}: frame-ancestors`).toContain("frame-ancestors 'none'");
  expect(csp, `${where}: object-src`).toContain("object-src 'none'");
  expect(csp, `${where}: no eval in production`).not.toContain("unsafe-eval");
  const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
  expect(scripts, `${where}: script-src`).toMatch(/'self'/);
  expect(scripts, `${where}: no inline scripts without a nonce`).not.toContain("unsafe-inline");
  if ((h["content-type"] ?? "").includes("text/html") || res.status() === 307) expect(scripts, `${where}: a fresh nonce`).toMatch(/'nonce-[A-Za-z0-9+/=]{22,}' 'strict-dynamic'/);
  expect(h["x-content-type-options"], `${where}: nosniff`).toBe("nosniff");
  expect(h["x-frame-options"], `${where}: X-Frame-Options`).toBe("DENY");
  expect(h["referrer-policy"], `${where}: Referrer-Policy`).toBe("strict-origin-when-cross-origin");
  expect(h["x-powered-by"], `${where}: no X-Powered-By`).toBeUndefined();
}

test.describe("security headers", () => {
  test("on public pages, redirects and API answers", async ({ request }) => {
    for (const url of ["/signin", "/api/health", "/api/me", "/endpoints"]) {
      expectSecurityHeaders(await send(request, "GET", url), `anonymous ${url}`);
    }
  });

  test("on signed-in pages and API answers", async () => {
    const ctx = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
    for (const url of ["/endpoints", "/settings", "/api/me", "/api/audit-events"]) {
      const res = await send(ctx, "GET", url);
      expect(res.status(), url).toBe(200);
      expectSecurityHeaders(res, `admin ${url}`);
    }
    await ctx.dispose();
  });
});

test.describe("CSP nonces", () => {
  test("each page answer carries its own nonce, on the page's scripts", async () => {
    const ctx = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await send(ctx, "GET", "/endpoints");
      const nonce = /'nonce-([^']+)'/.exec(res.headers()["content-security-policy"] ?? "")?.[1] ?? "";
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`)), "scripts without the response's nonce").toEqual([]);
      seen.add(nonce);
    }
    expect(seen.size).toBe(3);
    await ctx.dispose();
  });

  test("every page runs its scripts under the policy: no CSP violation, the app hydrates", async ({ browser }) => {
    const context = await browser.newContext({ storageState: authFile("admin") });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
    });
    const pages = allRoutes().filter((r) => r.kind === "page");
    // Each page is loaded to network idle: the time grows with the console's pages, not fixed.
    test.setTimeout(Math.max(60_000, pages.length * 6_000));
    for (const route of pages) {
      await page.goto(fillPattern(route.pattern, randomSegment));
      await page.waitForLoadState("networkidle");
      // React ran: Next's router is on window only once its scripts executed.
      expect(await page.evaluate(() => typeof (window as unknown as { next?: { router?: unknown } }).next?.router), route.pattern).toBe("object");
    }
    expect(violations).toEqual([]);
    await context.close();
  });
});

test.describe("session cookie", () => {
  type Cookie = { name: string; httpOnly: boolean; secure: boolean; sameSite: string; expires: number };
  // Read when the tests run, not when the file is collected: the setup project writes it first.
  let state: { cookies: Cookie[] };
  let session: Cookie | undefined;
  test.beforeAll(() => {
    state = JSON.parse(readFileSync(authFile("viewer"), "utf8")) as { cookies: Cookie[] };
    session = state.cookies.find((c) => /next-auth\.session-token$/.test(c.name));
  });

  test("is httpOnly, SameSite=Lax, and not marked secure over plain http (the tests' http://localhost)", () => {
    expect(session, "a session cookie after sign-in").toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe("Lax");
    expect(session!.secure).toBe(false);
    for (const c of state.cookies.filter((x) => x.name.includes("next-auth"))) expect(c.httpOnly, `${c.name} httpOnly`).toBe(true);
  });

  test("expires after SESSION_MAX_AGE_SECONDS (default 8 h), not later", () => {
    const maxAge = Number(process.env.SESSION_MAX_AGE_SECONDS ?? 8 * 3600);
    const left = session!.expires - Date.now() / 1000;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(maxAge + 60);
  });

  test("a tampered session cookie is refused", async () => {
    const tampered = { ...state, cookies: state.cookies.map((c) => (c === session ? { ...c, value: `${(c as unknown as { value: string }).value.slice(0, -8)}AAAAAAAA` } : c)) };
    const ctx = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: tampered as never });
    await expectErrorJson(await send(ctx, "GET", "/api/me"), 401, "tampered cookie");
    await ctx.dispose();
  });
});

test.describe("CSRF", () => {
  test("a cookie-authenticated write from another origin, or with no Origin, is refused and changes nothing", async () => {
    const env = e2eEnv();
    const ctx = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
    const before = await consoleSnapshot(env);
    const body = { name: "csrf-probe", scopes: ["read"], expiresIn: "7d" };
    for (const origin of ["http://evil.example", "null", "http://localhost:4001", "https://localhost:4000"]) {
      const res = await send(ctx, "POST", "/api/tokens", { data: body, headers: { origin } });
      expect((await expectErrorJson(res, 403, `Origin ${origin}`)).message).toMatch(/cross-site/i);
    }
    const noOrigin = await ctx.fetch("/api/tokens", { method: "POST", data: body, failOnStatusCode: false });
    await expectErrorJson(noOrigin, 403, "no Origin header");
    expect(await consoleSnapshot(env)).toEqual(before);
    // The same request from the console's own origin gets past the check (refused only for its bad body).
    const same = await send(ctx, "POST", "/api/tokens", { data: { ...body, scopes: [] } });
    expect((await expectErrorJson(same, 400, "same origin, bad body")).field).toBe("scopes");
    await ctx.dispose();
  });
});
