import type { Page } from "@playwright/test";
import { expect, test, authFile } from "./fixtures";
import { createIncident, openOrders } from "./pages";

// Incident links are opened on phones: at 390×844 the sidebar is a menu and nothing scrolls sideways.
test.use({ storageState: authFile("responder"), viewport: { width: 390, height: 844 } });

async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client, wide } = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    // The innermost elements reaching past the right edge, to say what overflows.
    const wide = [...document.querySelectorAll("main *")]
      .filter((e) => e.getBoundingClientRect().right > client + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > client + 1))
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 4).join(".")}`);
    return { scroll: document.documentElement.scrollWidth, client, wide };
  });
  expect(scroll, `${page.url()} scrolls sideways: ${wide.join(", ")}`).toBeLessThanOrEqual(client);
}

test("below 768 px the sidebar is a menu: a button opens it, Escape and following a link close it", async ({ page }) => {
  await page.goto("/endpoints");
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/menu-390.png" });
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await menu.click();
  await nav.getByRole("link", { name: "Incidents" }).click();
  await expect(page).toHaveURL(/\/incidents$/);
  await expect(nav).toBeHidden();
});

test("at 1440 px the sidebar is always there and there is no menu button", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/endpoints");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
});

test("the endpoints list, the endpoint page and an incident read at 390 px without sideways scrolling", async ({ page }) => {
  await page.goto("/endpoints");
  await expectNoSidewaysScroll(page);
  const endpointId = await openOrders(page);
  await expect(page.getByRole("figure", { name: /Latency/ })).toBeVisible();
  await expect(page.getByTestId("verdict")).toBeVisible();
  const suspect = page.getByRole("list", { name: "Suspects, most likely first" }).getByTestId("suspect").first();
  await expect(suspect).toContainText(/globex-batch|partner-gold/);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "test-results/e2e/mobile-endpoint.png", fullPage: true });
  const slug = await createIncident(page, endpointId, "Phone check");
  await page.goto(`/incidents/${slug}`);
  await expect(page.getByRole("heading", { level: 1, name: "Phone check" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: "test-results/e2e/mobile-incident.png", fullPage: true });
});
