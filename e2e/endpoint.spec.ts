import { expect, test, authFile } from "./fixtures";

// The seeded world (simulators/world): GET /orders on the Orders API spiked ~2 h before the stack
// started; the culprit is the partner's batch key "globex-batch", let in by the policy change
// "partner-gold" (rate 100 → 2000 by ada@acme.test).
test.describe("endpoint page: who touched it", () => {
  test.use({ storageState: authFile("responder") });

  test("a responder finds the spike, the culprit first, its evidence, and the policy's diff", async ({ page }) => {
    await page.goto("/endpoints");
    await page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]').getByRole("link").first().click();
    await expect(page).toHaveURL(/\/endpoints\/[^/?]+$/);
    await expect(page.getByRole("heading", { level: 1, name: "GET /orders" })).toBeVisible();

    // The spike is found and shaded on the chart.
    await expect(page.getByRole("figure", { name: /Latency \(p50, p95, p99\)/ })).toBeVisible();
    await expect(page.locator("svg text", { hasText: "spike" }).first()).toBeVisible();
    await expect(page.getByTestId("verdict")).not.toHaveText(/No latency spike/);

    // The culprit ranks first among the significant suspects.
    const suspects = page.getByRole("list", { name: "Suspects, most likely first" });
    const first = suspects.getByTestId("suspect").first();
    await expect(first).toContainText(/globex-batch|partner-gold/);
    await expect(first).not.toContainText("not significant");

    // Its evidence opens as a dialog; Escape closes it and gives focus back.
    await first.click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(/globex-batch|partner-gold/);
    await expect(dialog.getByText("Exemplar traces")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(first).toBeFocused();

    // From the evidence to the policy's history, where the raised limit shows.
    await first.click();
    await dialog.getByRole("link", { name: /partner-gold/ }).first().click();
    await expect(page).toHaveURL(/\/policies\/[^/?]+$/);
    await expect(page.getByText(/\b2,?000\b/).first()).toBeVisible(); // the raised rate (the page formats it "2,000")
  });

  test("the analysed window is kept in the URL, so the link reproduces the view", async ({ page }) => {
    await page.goto("/endpoints");
    await page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]').getByRole("link").first().click();
    await expect(page.getByTestId("verdict")).toBeVisible();
    const form = page.getByRole("form", { name: "Analysed window" });
    const from = await form.getByLabel("From (UTC)").inputValue();
    const to = await form.getByLabel("To (UTC)").inputValue();
    await form.getByRole("button", { name: "Analyse window" }).click();
    await expect(page).toHaveURL(/\?from=.+&to=.+/);

    const link = page.url();
    await page.goto("about:blank");
    await page.goto(link);
    await expect(page.getByRole("form", { name: "Analysed window" }).getByLabel("From (UTC)")).toHaveValue(from);
    await expect(page.getByRole("form", { name: "Analysed window" }).getByLabel("To (UTC)")).toHaveValue(to);
    await expect(page.getByRole("list", { name: "Suspects, most likely first" }).getByTestId("suspect").first()).toContainText(/globex-batch|partner-gold/);
  });
});
