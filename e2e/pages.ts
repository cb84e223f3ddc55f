import { expect, type Page } from "@playwright/test";

export const ORIGIN = "http://localhost:4000";

/** Opens GET /orders (the seeded spike) from the endpoints list; returns its id. */
export async function openOrders(page: Page): Promise<string> {
  await page.goto("/endpoints");
  await page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]').getByRole("link").first().click();
  await expect(page).toHaveURL(/\/endpoints\/[^/?]+$/);
  await expect(page.getByTestId("verdict")).toBeVisible();
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

/** Creates an incident on the endpoint as the page's user (same-origin, as the console would); returns its slug. */
export async function createIncident(page: Page, endpointId: string, title: string): Promise<string> {
  const now = Date.now();
  const res = await page.request.post("/api/incidents", {
    headers: { origin: ORIGIN },
    data: { endpointId, from: new Date(now - 4 * 3_600_000).toISOString(), to: new Date(now - 30 * 60_000).toISOString(), title, severity: "sev3", visibility: "all" },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).slug as string;
}
