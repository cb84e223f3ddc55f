import { expect, test, authFile } from "./fixtures";

// The seeded incident's culprit: ada@acme.test raised policy partner-gold's rate from 100 to 2000.
test.describe("policy history", () => {
  test.use({ storageState: authFile("responder") });

  test("a responder finds partner-gold's rate change 100 → 2000 by ada@acme.test, with its time and diff", async ({ page }) => {
    await page.goto("/policies");
    await expect(page.getByRole("heading", { name: "Policies", level: 1 })).toBeVisible();
    const row = page.getByRole("table", { name: "Policies" }).getByRole("row").filter({ hasText: "partner-gold" });
    await expect(row).toContainText("2,000 / s");
    await row.getByRole("link", { name: "partner-gold" }).click();

    await expect(page).toHaveURL(/\/policies\/[^/?]+$/);
    await expect(page.getByRole("heading", { name: "partner-gold", level: 1 })).toBeVisible();

    const history = page.getByRole("list", { name: "Policy partner-gold history" });
    const change = history.getByTestId("history-item").filter({ has: page.getByTestId("diff-row").filter({ hasText: /^rate/ }) }).first();
    await expect(change.getByTestId("change-actor")).toHaveText("ada@acme.test");
    await expect(change.getByTestId("change-time")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    // Cells: field, before, after (the arrow between them is decorative and hidden from the accessibility tree).
    const rate = change.getByTestId("diff-row").filter({ hasText: /^rate/ });
    await expect(rate.getByRole("cell").nth(1)).toHaveText("100");
    await expect(rate.getByRole("cell").nth(2)).toContainText("2000");

    // The compare picker diffs any two versions on the server; oldest against newest shows the same change.
    const compare = page.locator("#compare");
    const options = await compare.getByLabel("From version").locator("option").allTextContents();
    await compare.getByLabel("From version").selectOption({ label: options[options.length - 1] });
    await compare.getByLabel("To version").selectOption({ label: options[0] });
    await compare.getByRole("button", { name: "Compare" }).click();
    await expect(page).toHaveURL(/from=\d+&to=\d+/);
    const diff = page.getByRole("table", { name: /^Differences from v\d+ to v\d+$/ });
    const compared = diff.getByTestId("diff-row").filter({ hasText: /^rate/ });
    await expect(compared.getByRole("cell").nth(1)).toHaveText("100");
    await expect(compared.getByRole("cell").nth(2)).toContainText("2000");
  });

  test("the Tyk passthrough refuses paths outside its allowlist and never returns a raw key", async ({ page }) => {
    await page.goto("/policies");
    const refused = await page.request.get("/api/tyk/audit-logs");
    expect(refused.status()).toBe(404);
    expect(await refused.json()).toMatchObject({ error: { code: "not_found" } });
    const keys = await page.request.get("/api/tyk/keys/detailed?p=1");
    expect(keys.status()).toBe(200);
    const body = (await keys.json()) as { keys: { key_id: string }[] };
    expect(body.keys.length).toBeGreaterThan(0);
    for (const k of body.keys) expect(k.key_id === "" || k.key_id.startsWith("••••")).toBe(true);
    // Only allowlisted fields: no upstream URL or auth settings of a definition, no Dashboard users.
    const apis = await page.request.get("/api/tyk/apis");
    expect(apis.status()).toBe(200);
    const text = await apis.text();
    expect(text).toContain("listen_path");
    expect(text).not.toMatch(/target_url|config_data|auth_header_name|custom_middleware/);
    expect((await page.request.get("/api/tyk/users")).status()).toBe(404);
  });
});
