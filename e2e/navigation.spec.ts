import type { Page } from "@playwright/test";
import { expect, test, authFile, type RoleName } from "./fixtures";
import { ORIGIN, createIncident, openOrders } from "./pages";
const ALL = ["Endpoints", "Anomalies", "Incidents", "Policies", "Keys", "Hygiene", "Access", "Audit", "Settings", "APIs", "Identities", "Call trail", "Limit changes", "Coverage", "Environments"];
// What each role must not be offered: the pages the permission map refuses it.
const HIDDEN: Record<RoleName, string[]> = { admin: [], responder: ["Audit", "Settings"], viewer: ["Audit", "Settings", "Call trail"] };

async function navLabels(page: Page): Promise<string[]> {
  return (await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents()).map((t) => t.trim());
}

test.describe("navigation by role", () => {
  for (const role of ["admin", "responder", "viewer"] as const) {
    test(`a ${role} sees exactly the menu items they can open`, async ({ browser }) => {
      const ctx = await browser.newContext({ storageState: authFile(role) });
      const page = await ctx.newPage();
      await page.goto("/endpoints");
      const shown = await navLabels(page);
      expect(shown).toEqual(ALL.filter((l) => !HIDDEN[role].includes(l)));
      // Every item shown opens without the "not available to your role" page.
      for (const label of shown) {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
        await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
        await expect(page.getByText("Not available to your role")).toHaveCount(0);
      }
      await ctx.close();
    });
  }
});

test.describe("missing and revoked pages", () => {
  test("unknown endpoint, policy and key ids answer 404 with the console's own page", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile("viewer") });
    const page = await ctx.newPage();
    for (const [url, text] of [
      ["/endpoints/no-such-endpoint", "No such endpoint"],
      ["/policies/no-such-policy", "No such policy"],
      ["/keys/no-such-key", "No such key"],
      ["/incidents/not-a-real-incident-aaaaaaaaaaaaaaaaaaaaaaaaaa", "No incident at this link"],
    ] as const) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(404);
      await expect(page.getByRole("heading", { name: text })).toBeVisible();
      // The console around it, not the framework's bare page.
      await expect(page.getByRole("navigation", { name: "Main" })).toBeAttached();
      await expect(page.getByText("This page could not be found")).toHaveCount(0);
    }
    // A known object still answers 200.
    await page.goto("/endpoints");
    await page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]').getByRole("link").first().click();
    await expect(page).toHaveURL(/\/endpoints\/[^/?]+$/);
    const ok = await page.request.get(page.url());
    expect(ok.status()).toBe(200);
    await ctx.close();
  });

  test("a revoked incident link answers 410 with the revoked page", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile("responder") });
    const page = await ctx.newPage();
    const slug = await createIncident(page, await openOrders(page), "Navigation: revoked link");
    expect((await page.goto(`/incidents/${slug}`))?.status()).toBe(200);
    expect((await page.request.post(`/api/incidents/${slug}/revoke`, { headers: { origin: ORIGIN } })).status()).toBe(200);
    const res = await page.goto(`/incidents/${slug}`);
    expect(res?.status()).toBe(410);
    await expect(page.getByTestId("incident-revoked")).toContainText("revoked");
    await ctx.close();
  });
});
