import { expect, test, authFile } from "./fixtures";

// Seeded world (simulators/world): GET /orders on the Orders API spiked ~2 h before the stack
// started, caused by the key aliased "globex-batch" whose heavy requests are the slowest traces.
test.describe("endpoints list and trace view", () => {
  test.use({ storageState: authFile("responder") });

  test("GET /orders shows a spike and its sparkline, and its slow trace names globex-batch", async ({ page }) => {
    await page.goto("/endpoints");
    const rows = page.getByTestId("endpoint-row");
    await expect(rows.first()).toBeVisible();

    const orders = page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]');
    await expect(orders).toHaveCount(1);
    await expect(orders.getByTestId("spike-badge")).toBeVisible();
    await expect(orders.getByTestId("spike-badge")).toContainText(/spike/i);
    // Spiking endpoints are listed first.
    await expect(rows.first().getByTestId("spike-badge")).toBeVisible();

    const path = orders.getByTestId("sparkline").locator("path");
    await expect(path).toHaveCount(1);
    expect(await path.getAttribute("d")).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){10,}/);

    await orders.getByRole("link", { name: /latest slow trace/i }).click();
    await expect(page).toHaveURL(/\/traces\/[A-Za-z0-9_-]+$/);
    const alias = page.getByTestId("identity-attributes").locator('mark[data-attribute="tyk.api.apikey.alias"]');
    await expect(alias).toHaveText("globex-batch");
    await expect(page.getByTestId("mapped-identity")).toContainText("globex-batch");
    await expect(page.getByTestId("span-row").first()).toBeVisible();
    await expect(page.getByRole("link", { name: /open in lightstep/i })).toHaveAttribute("href", /\/production\/trace\?span_guid=/);
  });

  test("the trace passthrough serves allowlisted reads and 404s the rest", async ({ page }) => {
    await page.goto("/endpoints");
    // The passthrough shares the trace sync's 2 req/s budget: while a sync spends it, a read is a
    // 429 "the trace backend is busy" (by design); a client tries again, as this one does.
    await expect(async () => {
      const services = await page.request.get("/api/traces/services");
      expect(services.status()).toBe(200);
      expect(JSON.stringify(await services.json())).toContain("tyk-gateway");
    }).toPass({ intervals: [1_000, 2_000, 5_000], timeout: 30_000 });
    const other = await page.request.get("/api/traces/projects");
    expect(other.status()).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

test.describe("mapping screens", () => {
  test("a responder may not open them", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile("responder") });
    const page = await ctx.newPage();
    await page.goto("/settings/mappings/identity");
    await expect(page.getByRole("alert").filter({ hasText: "Not available to your role" })).toBeVisible();
    expect((await page.request.get("/api/mappings/identity")).status()).toBe(403);
    await ctx.close();
  });

  test("an admin sees the identity preview with recent spans", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile("admin") });
    const page = await ctx.newPage();
    await page.goto("/settings/mappings/identity");
    await expect(page.getByTestId("preview-row").first()).toBeVisible();
    await ctx.close();
  });
});
