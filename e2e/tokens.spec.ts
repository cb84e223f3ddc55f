import { expect, test, authFile } from "./fixtures";

test.describe("console API tokens", () => {
  test.use({ storageState: authFile("admin") });

  test("an admin creates a token, sees it once, uses it as a bearer token, then revokes it", async ({ page, playwright, baseURL }) => {
    const name = `e2e-bot-${Date.now().toString(36)}`;
    await page.goto("/settings/tokens");
    await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();

    const form = page.getByRole("form", { name: "New API token" });
    await form.getByLabel("Name").fill(name);
    await expect(form.getByRole("checkbox", { name: /^read/ })).toBeChecked();
    await form.getByRole("button", { name: "Create token" }).click();

    const shown = page.getByTestId("new-token");
    await expect(shown).toHaveText(/^tl_[A-Za-z0-9_-]{43}$/);
    const token = (await shown.textContent())!.trim();
    const row = page.getByTestId(`token-row-${name}`);
    await expect(row).toContainText(token.slice(0, 11)); // the display prefix
    await expect(row).not.toContainText(token);

    // Shown once: after a reload the page has no trace of it.
    await page.reload();
    await expect(page.getByTestId(`token-row-${name}`)).toBeVisible();
    await expect(page.getByTestId("new-token")).toHaveCount(0);
    expect(await page.content()).not.toContain(token);

    // A context with no cookies: only the bearer token authenticates.
    const api = await playwright.request.newContext({ baseURL });
    const auth = { Authorization: `Bearer ${token}` };
    const me = await api.get("/api/me", { headers: auth });
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ token: { name, scopes: ["read"] } });
    const denied = await api.get("/api/audit-events", { headers: auth }); // read scope does not grant audit:read
    expect(denied.status()).toBe(403);

    await page.getByTestId(`token-row-${name}`).getByRole("button", { name: `Revoke token ${name}` }).click();
    await page.getByRole("button", { name: `Confirm revoking token ${name}` }).click();
    await expect(page.getByTestId(`token-row-${name}`)).toContainText("revoked");

    const after = await api.get("/api/me", { headers: auth });
    expect(after.status()).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: "unauthorized" } });
    await api.dispose();

    // Both changes are on the audit trail.
    const audit = await page.request.get("/api/audit-events?action=token.");
    const actions = ((await audit.json()) as { events: { action: string; details: { name?: string } }[] }).events
      .filter((e) => e.details.name === name)
      .map((e) => e.action);
    expect(actions.sort()).toEqual(["token.create", "token.revoke"]);
  });

  test("a viewer cannot manage tokens", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile("viewer") });
    const page = await ctx.newPage();
    await page.goto("/settings/tokens");
    await expect(page.getByRole("alert").filter({ hasText: "Not available to your role" })).toBeVisible();
    expect((await page.request.get("/api/tokens")).status()).toBe(403);
    await ctx.close();
  });
});
