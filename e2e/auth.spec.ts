import { expect, test, signIn, USERS, authFile, type RoleName } from "./fixtures";

test.describe("anonymous visitor", () => {
  test("a page redirects to sign-in and comes back to it after login", async ({ page }) => {
    await page.goto("/policies");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
    await expect(page.getByRole("heading", { name: "Sign in to Touchline" })).toBeVisible();
    await page.getByRole("button", { name: /continue with/i }).click();
    await page.getByLabel("Email").fill(USERS.responder.email);
    await page.getByLabel("Password").fill("touchline-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/policies$/);
  });

  test("an API call gets 401 JSON", async ({ request }) => {
    const res = await request.get("/api/me");
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  test("a wrong password is refused by the IdP", async ({ page }) => {
    await page.goto("/signin");
    await page.getByRole("button", { name: /continue with/i }).click();
    await page.getByLabel("Email").fill(USERS.admin.email);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(/invalid|incorrect|wrong/i).first()).toBeVisible();
    expect(page.url()).not.toContain("localhost:4000");
  });
});

for (const role of Object.keys(USERS) as RoleName[]) {
  test(`${role} signs in through the IdP and the shell shows name and role`, async ({ page }) => {
    await signIn(page, role);
    await expect(page.getByTestId("user-name")).toHaveText(USERS[role].name);
    await expect(page.getByTestId("user-role")).toHaveText(USERS[role].role);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const item of ["Endpoints", "Incidents", "Policies", "Keys"]) await expect(nav.getByRole("link", { name: item })).toBeVisible();
    // Audit and Settings are admin pages: only an admin is offered them (navigation.spec.ts checks every item).
    for (const item of ["Audit", "Settings"]) await expect(nav.getByRole("link", { name: item })).toHaveCount(role === "admin" ? 1 : 0);
  });
}

test.describe("permissions", () => {
  test.use({ storageState: authFile("viewer") });

  test("a viewer calling an admin-only API gets 403", async ({ page }) => {
    await page.goto("/endpoints");
    const res = await page.request.get("/api/audit-events");
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
    const me = await page.request.get("/api/me");
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ user: { role: "viewer" } });
  });

  test("a viewer sees the audit page as not available", async ({ page }) => {
    await page.goto("/audit");
    await expect(page.getByRole("alert").filter({ hasText: "Not available to your role" })).toBeVisible();
  });
});

test.describe("admin", () => {
  test.use({ storageState: authFile("admin") });

  test("an admin reads the audit trail, which records sign-ins", async ({ page }) => {
    const res = await page.request.get("/api/audit-events?action=auth.login");
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { events: { actorEmail: string }[] };
    expect(body.events.some((e) => e.actorEmail === USERS.admin.email)).toBe(true);
  });
});

test("sign out ends the console session and the IdP session", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/endpoints");
  await expect(page).toHaveURL(/\/signin/);
  // The IdP asks for credentials again rather than silently signing the same user back in.
  await page.getByRole("button", { name: /continue with/i }).click();
  await expect(page.getByLabel("Password")).toBeVisible();
});
