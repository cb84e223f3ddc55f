import { expect, test, authFile } from "./fixtures";

// Item 9 of the UI pass: traces where people look for them, and one search box for everything.
test.use({ storageState: authFile("responder"), viewport: { width: 1440, height: 900 } });

test("the search box: '/' and Ctrl-K focus it, it finds keys, endpoints and policies, Enter opens a hit", async ({ page }) => {
  await page.goto("/endpoints");
  const box = page.getByRole("combobox", { name: /Search endpoints, keys/ });
  await page.locator("body").press("/");
  await expect(box).toBeFocused();
  await box.fill("globex");
  const results = page.getByRole("listbox", { name: "Search results" });
  await expect(results.getByRole("option").first()).toContainText("globex-batch");
  await expect(results.getByRole("option").first()).toContainText("Key");
  await page.screenshot({ path: "test-results/e2e/search-1440.png" });
  await box.press("Enter");
  await expect(page).toHaveURL(/\/keys\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "globex-batch" })).toBeVisible();

  await page.locator("body").press("Control+k");
  await expect(box).toBeFocused();
  await box.fill("GET /orders");
  await expect(results.getByRole("option", { name: /GET \/orders\b/ }).first()).toBeVisible();
  await box.fill("partner-gold");
  const policy = results.getByRole("option").filter({ hasText: "Policy" }).first();
  await expect(policy).toContainText("partner-gold");
  await policy.click();
  await expect(page).toHaveURL(/\/policies\/[^/?]+$/);

  // Wildcards are matched literally: "%%" finds nothing rather than everything.
  await page.locator("body").press("/");
  await box.fill("%%");
  await expect(results).toContainText("Nothing matches “%%”");
});

test("the search API validates its query and matches LIKE wildcards literally", async ({ request }) => {
  const bad = await request.get("/api/search?q=a");
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.field).toBe("q");
  const wild = await request.get(`/api/search?q=${encodeURIComponent("_%")}`);
  expect(wild.status()).toBe(200);
  expect((await wild.json()).hits).toEqual([]);
  const hits = (await (await request.get("/api/search?q=orders")).json()).hits as { kind: string; label: string }[];
  expect(hits.some((h) => h.kind === "endpoint" && h.label === "GET /orders")).toBe(true);
});

test("the call trail links each call's trace; a trace shows its endpoint's slowest traces beside it", async ({ page }) => {
  await page.goto("/calls?key=globex-batch");
  const table = page.getByRole("table", { name: "Calls" });
  const traceLink = table.getByRole("link", { name: /^Trace of / }).first();
  await expect(traceLink).toBeVisible();
  expect(await traceLink.getAttribute("href")).toMatch(/^\/traces\/[0-9a-f]+$/);

  await page.goto("/endpoints");
  const row = page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]');
  await row.getByRole("link", { name: /^Latest slow trace of/ }).click();
  await expect(page).toHaveURL(/\/traces\//);
  const list = page.getByRole("list", { name: "Slowest traces, slowest first" });
  await expect(list).toBeVisible();
  const items = list.getByRole("link");
  expect(await items.count()).toBeGreaterThan(1);
  await expect(list.locator('[aria-current="page"]')).toHaveCount(1);
  await page.screenshot({ path: "test-results/e2e/trace-1440.png" });
  // Another trace from the list opens with the list still beside it.
  await items.nth(1).click();
  await expect(page).toHaveURL(/\/traces\//);
  await expect(page.getByRole("list", { name: "Slowest traces, slowest first" })).toBeVisible();
});
