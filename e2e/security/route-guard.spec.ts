import { expect, test } from "@playwright/test";
import { fillPattern, isPublic, PUBLIC_ROUTES } from "../../lib/security/routes";
import { allRoutes, expectErrorJson, randomSegment, send } from "./support";

// Every page and API route found in app/ at run time must refuse an anonymous caller, except the
// explicit public list. A new route without a guard fails here without anyone editing this file.
const routes = allRoutes();

test("discovery finds the console's pages and API routes", () => {
  expect(routes.filter((r) => r.kind === "page").length).toBeGreaterThan(5);
  expect(routes.filter((r) => r.kind === "api").length).toBeGreaterThan(5);
  for (const p of PUBLIC_ROUTES) expect(routes.map((r) => r.pattern), `public route ${p.pattern} still exists`).toContain(p.pattern);
});

test("every API handler outside the public list is wrapped in apiRoute with a permission", () => {
  const unguarded = routes
    .filter((r) => r.kind === "api" && !isPublic(r.pattern))
    .flatMap((r) => r.methods.filter((m) => !m.permission).map((m) => `${m.method} ${r.pattern} (${r.file})`));
  expect(unguarded, "handlers not wrapped in apiRoute({ permission })").toEqual([]);
});

for (const route of routes.filter((r) => r.kind === "page" && !isPublic(r.pattern))) {
  test(`anonymous page ${route.pattern} redirects to sign-in`, async ({ request }) => {
    const url = fillPattern(route.pattern, randomSegment);
    const res = await send(request, "GET", url);
    expect([302, 303, 307, 308], `${url} status`).toContain(res.status());
    const location = new URL(res.headers()["location"] ?? "", "http://localhost:4000");
    expect(location.pathname, `${url} redirects to`).toBe("/signin");
    expect(location.searchParams.get("callbackUrl") ?? "", "comes back to the page after sign-in").toContain(url.split("/")[1] ?? "");
  });
}

for (const route of routes.filter((r) => r.kind === "api" && !isPublic(r.pattern))) {
  for (const { method } of route.methods) {
    test(`anonymous ${method} ${route.pattern} answers 401 JSON`, async ({ request }) => {
      const url = fillPattern(route.pattern, randomSegment);
      const anon = await send(request, method, url, { data: {} });
      if (method !== "HEAD") expect((await expectErrorJson(anon, 401, `${method} ${url}`)).code).toBe("unauthorized");
      else expect(anon.status()).toBe(401);
      // A forged or revoked bearer token gets the same answer, never a fall-back to anything else.
      const forged = await send(request, method, url, { data: {}, headers: { authorization: "Bearer tl_forged0000000000000000000000000000" } });
      expect(forged.status(), `${method} ${url} with a forged token`).toBe(401);
    });
  }
}
