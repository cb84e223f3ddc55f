import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, authFile } from "./fixtures";
import { createIncident, openOrders } from "./pages";

// axe-core (WCAG 2.1 A/AA rules, colour contrast included) on every console page: no serious or
// critical violation. Detail pages are reached through the lists, as a user would.
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

async function firstHref(page: Page, prefix: string): Promise<string> {
  const href = await page.locator(`main a[href^="${prefix}"]`).first().getAttribute("href");
  expect(href, `a link to ${prefix}… on ${page.url()}`).toBeTruthy();
  return href!;
}

test.describe("accessibility", () => {
  test.use({ storageState: authFile("admin") });

  // One test per page: axe takes seconds per page on a loaded machine.
  for (const url of ["/endpoints", "/incidents", "/policies", "/keys", "/hygiene", "/access-requests", "/audit", "/settings", "/settings/access",
    "/settings/tokens", "/settings/mappings", "/settings/endpoints", "/apis", "/identities", "/calls", "/coverage", "/environments", "/anomalies"]) {
    test(`${url} passes axe with no serious or critical violation`, async ({ page }) => {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  test("the detail pages (endpoint, incident, policy, key, trace) pass axe", async ({ page }) => {
    test.setTimeout(180_000);
    const endpointId = await openOrders(page);
    const slug = await createIncident(page, endpointId, "Accessibility check");
    const pages = [`/endpoints/${encodeURIComponent(endpointId)}`, `/incidents/${slug}`];
    for (const [list, prefix] of [["/policies", "/policies/"], ["/keys", "/keys/"], ["/endpoints", "/traces/"]]) {
      await page.goto(list);
      pages.push(await firstHref(page, prefix));
    }
    const found: string[] = [];
    for (const url of pages) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      for (const v of await seriousViolations(page)) found.push(`${url}: ${v}`);
    }
    expect(found).toEqual([]);
  });

  test("the sign-in page passes axe too", async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto("/signin");
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });
});

test.describe("keyboard", () => {
  test.use({ storageState: authFile("responder") });

  test("the skip link is the first stop and moves focus to the page", async ({ page }) => {
    await page.goto("/endpoints");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();
    // The next Tab lands inside the page, not back in the menu.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest("main"))).toBe(true);
  });

  test("the chart's markers are each in the tab order once, and Tab leaves them", async ({ page }) => {
    await openOrders(page);
    const markers = page.getByRole("figure", { name: /Latency/ }).locator('g[role="button"]');
    // The flags are drawn once the chart has measured its width: wait for them before counting.
    await expect(markers.first()).toBeVisible();
    const n = await markers.count();
    expect(n).toBeGreaterThan(1);
    await markers.first().focus();
    await expect(page.getByRole("tooltip")).toBeVisible();
    const seen: string[] = [];
    for (let i = 0; i < n + 1; i++) {
      seen.push(await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? `<${document.activeElement?.tagName}>`));
      await page.keyboard.press("Tab");
    }
    // n distinct markers in a row, then focus moves on past the chart.
    const labels = await markers.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
    expect(seen.slice(0, n)).toEqual(labels);
    expect(labels).not.toContain(seen[n]);
  });

  test("focus is visible on links and buttons", async ({ page }) => {
    await page.goto("/endpoints");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement as Element);
      return { style: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow };
    });
    expect(outline.style !== "none" && outline.width !== "0px" || outline.shadow !== "none").toBe(true);
  });
});
