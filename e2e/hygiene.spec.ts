import { expect, test, authFile } from "./fixtures";
import { send } from "./security/support";

// The hygiene page for every role, its filters and export; a key rotation from plan to the new key
// shown once, followed on its own page and cancelled; an OAuth secret regenerated once.

test("every role reads the hygiene page: counts, self-explaining flags, filters, export; tokens and secrets for admins only", async ({ browser }) => {
  const viewerCtx = await browser.newContext({ storageState: authFile("viewer") });
  const vera = await viewerCtx.newPage();
  await vera.goto("/hygiene");
  await expect(vera.getByRole("heading", { name: "Access hygiene" })).toBeVisible();
  await expect(vera.getByTestId("count-keys")).toHaveText(/^\d+$/);
  await expect(vera.getByRole("button", { name: /Console API tokens/ })).toHaveCount(0);
  const keys = vera.getByRole("table", { name: "Keys" });
  // The seeded keys never expire: each says so, in words, and links to its key.
  const row = keys.getByRole("row").filter({ hasText: "globex-batch" });
  await expect(row.locator('[data-flag="never_expires"]')).toContainText("Has no expiry");
  await row.getByRole("link", { name: "globex-batch" }).click();
  await expect(vera).toHaveURL(/\/keys\/[0-9a-f]{64}$/);
  await vera.goBack();

  await vera.getByRole("button", { name: /^Only never expires/ }).click();
  await expect(vera).toHaveURL(/flag=never_expires/);
  const shown = await keys.getByRole("row").count();
  expect(shown - 1).toBeGreaterThan(5);
  await expect(vera.getByRole("link", { name: /Rotate/ })).toHaveCount(0);

  const csv = await send(vera.request, "GET", "/api/hygiene/export?kind=keys&flag=never_expires");
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("id,label,owner,since,last_used_at,requests,flags,reasons,facts,link");
  expect(lines.length - 1).toBe(shown - 1);
  expect(lines.slice(1).every((l) => l.includes("never_expires"))).toBe(true);
  expect((await send(vera.request, "GET", "/api/hygiene?kind=tokens")).status()).toBe(403);
  expect((await send(vera.request, "POST", "/api/rotations", { data: { keyHash: "x" } })).status()).toBe(403);
  await viewerCtx.close();

  const adminCtx = await browser.newContext({ storageState: authFile("admin") });
  const ada = await adminCtx.newPage();
  await ada.goto("/hygiene?kind=policies");
  await expect(ada.getByRole("table", { name: "Policies" })).toContainText("partner-gold");
  await ada.getByRole("button", { name: /Console API tokens/ }).click();
  await expect(ada).toHaveURL(/kind=tokens/);
  await adminCtx.close();
});

test("an admin rotates a key: the plan, the new key once, the callers watched, then cancelled", async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: authFile("admin") });
  const page = await ctx.newPage();
  await page.goto("/hygiene?q=trial-umbrella");
  await page.getByRole("link", { name: "Rotate trial-umbrella" }).click();
  await page.getByRole("button", { name: "Rotate key…" }).click();
  const plan = page.getByLabel("Rotation plan");
  await expect(plan).toContainText("alias trial-umbrella");
  await expect(plan).toContainText("free-tier");
  await page.getByLabel("Grace period").selectOption("24");
  await page.getByRole("button", { name: "Create new key" }).click();
  const key = page.getByTestId("new-key");
  await expect(key).toHaveText(/^[0-9a-f]{56}$/);
  const raw = (await key.textContent())!.trim();

  await page.getByRole("link", { name: "Watch the callers move" }).click();
  await expect(page.getByRole("heading", { name: /Key rotation: trial-umbrella/ })).toBeVisible();
  await expect(page.getByText(/grace until/)).toBeVisible();
  await expect(page.getByTestId("move-summary")).toBeVisible();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("New key created");
  expect(await page.content()).not.toContain(raw);
  await page.getByRole("button", { name: "Cancel rotation" }).click();
  await page.getByRole("button", { name: "Confirm: keep both keys" }).click();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("Cancelled");

  // The rotation is an access change on the new key, with both keys' hashes.
  const rotation = (await (await send(page.request, "GET", page.url().replace(/.*\/hygiene\/rotations\//, "/api/rotations/"))).json()) as { rotation: { oldKeyHash: string; newKeyHash: string; state: string } };
  expect(rotation.rotation.state).toBe("cancelled");
  await page.goto(`/keys/${rotation.rotation.newKeyHash}`);
  await expect(page.getByRole("heading", { name: "trial-umbrella" })).toBeVisible();
  await expect(page.getByRole("link", { name: /replaced an older key/ })).toBeVisible();
  await ctx.close();
});

test("an admin regenerates an OAuth client's secret from the hygiene page; it is shown once", async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: authFile("admin") });
  const page = await ctx.newPage();
  await page.goto("/hygiene?kind=oauth");
  const row = page.getByRole("table", { name: "OAuth clients" }).getByRole("row").filter({ hasText: "globex-portal" });
  await row.getByRole("button", { name: /Regenerate the secret/ }).click();
  await row.getByRole("button", { name: "Confirm" }).click();
  const secret = page.getByTestId("new-secret");
  await expect(secret).toHaveText(/^[A-Za-z0-9_-]{40,}$/);
  const value = (await secret.textContent())!.trim();
  await page.reload();
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(value);
  await ctx.close();
});
