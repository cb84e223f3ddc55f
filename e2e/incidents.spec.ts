import type { Page } from "@playwright/test";
import { expect, test, authFile, USERS, PASSWORD } from "./fixtures";

// Seeded world: GET /orders on the Orders API spiked ~2 h before the stack started; the culprit is
// the key "globex-batch" let in by "partner-gold" (rate 100 → 2000 by ada@acme.test).
const ORIGIN = "http://localhost:4000";

async function openOrdersEndpoint(page: Page): Promise<string> {
  await page.goto("/endpoints");
  await page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]').getByRole("link").first().click();
  await expect(page).toHaveURL(/\/endpoints\/[^/?]+$/);
  await expect(page.getByTestId("verdict")).toBeVisible();
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

/** Creates an incident through the API as the page's user (same-origin, as the console would). */
async function createViaApi(page: Page, endpointId: string, visibility: "all" | "responders", title: string): Promise<string> {
  const now = Date.now();
  const res = await page.request.post("/api/incidents", {
    headers: { origin: ORIGIN },
    data: { endpointId, from: new Date(now - 4 * 3_600_000).toISOString(), to: new Date(now - 30 * 60_000).toISOString(), title, severity: "sev3", visibility },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).slug as string;
}

test.describe("incidents", () => {
  test("a responder freezes the endpoint into an incident; a viewer opens the copied link after SSO and lands on it", async ({ browser }) => {
    // Two people, an SSO round trip and a frozen investigation: more than the default minute on a shared machine.
    test.setTimeout(150_000);
    const responder = await browser.newContext({ storageState: authFile("responder") });
    const rp = await responder.newPage();
    await openOrdersEndpoint(rp);

    await rp.getByRole("button", { name: "Create incident" }).click();
    const dialog = rp.getByRole("dialog", { name: "Create incident" });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel("Title").fill("Orders p99 spike after partner-gold change");
    await dialog.getByLabel("Severity").selectOption("sev2");
    await expect(dialog.getByLabel("Owner")).toContainText(`Me (${USERS.responder.email})`);
    await dialog.getByRole("button", { name: "Create incident" }).click();

    await expect(rp).toHaveURL(/\/incidents\/orders-p99-spike-after-partner-gold-[a-z2-7]{26}$/);
    await expect(rp.getByRole("heading", { level: 1, name: "Orders p99 spike after partner-gold change" })).toBeVisible();
    await expect(rp.getByTestId("frozen-notice")).toBeVisible();
    const firstSuspect = rp.getByRole("list", { name: "Suspects, most likely first" }).getByTestId("suspect").first();
    await expect(firstSuspect).toContainText(/globex-batch|partner-gold/);
    await expect(rp.getByTestId("frozen-versions")).toContainText("partner-gold");
    // Values in the summary are escaped Markdown (no title can become a link or a mention).
    await expect(rp.getByTestId("summary-markdown")).toContainText("**\\[SEV2\\] Orders p99 spike after partner\\-gold change**");

    // "Copy link": the same URL the button puts on the clipboard.
    const link = await rp.getByTestId("share-link").inputValue();
    expect(link).toBe(rp.url());
    await expect(rp.getByTestId("summary-markdown")).toContainText(link);
    const frozenVerdict = await rp.getByTestId("verdict").textContent();

    // A viewer in a fresh browser (no session): sign-in through the IdP, then back to the incident.
    const fresh = await browser.newContext();
    const vp = await fresh.newPage();
    await vp.goto(link);
    await expect(vp).toHaveURL(/\/signin\?callbackUrl=/);
    await vp.getByRole("button", { name: /continue with/i }).click();
    await vp.getByLabel("Email").fill(USERS.viewer.email);
    await vp.getByLabel("Password").fill(PASSWORD);
    await vp.getByRole("button", { name: "Sign in" }).click();
    await expect(vp).toHaveURL(link);
    await expect(vp.getByRole("heading", { level: 1, name: "Orders p99 spike after partner-gold change" })).toBeVisible();
    await expect(vp.getByTestId("verdict")).toHaveText(frozenVerdict ?? "");
    // A viewer reads but does not change it.
    await expect(vp.getByTestId("incident-status")).toHaveCount(0);
    await expect(vp.getByRole("button", { name: "Revoke link" })).toHaveCount(0);

    // The responder moves it on; the timeline shows it.
    await rp.getByTestId("incident-status").selectOption("mitigated");
    await rp.getByLabel("Add a note").fill("Rolled partner-gold back to 100/s");
    await rp.getByRole("button", { name: "Add note" }).click();
    await expect(rp.getByTestId("incident-timeline")).toContainText("Rolled partner-gold back to 100/s");
    await expect(rp.getByTestId("incident-timeline")).toContainText("mitigated");

    // The owner revokes the link: the viewer gets the revoked page and the API answers 410.
    rp.once("dialog", (d) => void d.accept());
    await rp.getByRole("button", { name: "Revoke link" }).click();
    await expect(rp.getByTestId("incident-revoked")).toBeVisible();
    await vp.reload();
    await expect(vp.getByTestId("incident-revoked")).toContainText("revoked");
    const slug = new URL(link).pathname.split("/").pop()!;
    expect((await vp.request.get(`/api/incidents/${slug}`)).status()).toBe(410);

    // …and re-shares it: a new link works, the old one stays revoked.
    await rp.getByRole("button", { name: "Share again with a new link" }).click();
    await expect(rp).not.toHaveURL(link);
    await expect(rp.getByTestId("frozen-notice")).toBeVisible();
    expect((await vp.request.get(`/api/incidents/${slug}`)).status()).toBe(410);
    await responder.close();
    await fresh.close();
  });

  test("a revoked incident is listed without its title, verdict or owner to those who cannot re-share it", async ({ browser }) => {
    const responder = await browser.newContext({ storageState: authFile("responder") });
    const rp = await responder.newPage();
    const endpointId = await openOrdersEndpoint(rp);
    const slug = await createViaApi(rp, endpointId, "all", "Revoked: orders spike, hidden title");
    expect((await rp.request.post(`/api/incidents/${slug}/revoke`, { headers: { origin: ORIGIN } })).status()).toBe(200);

    const viewer = await browser.newContext({ storageState: authFile("viewer") });
    const vp = await viewer.newPage();
    await vp.goto("/incidents");
    await expect(vp.getByTestId("incident-row").filter({ hasText: "Revoked incident" }).first()).toBeVisible();
    await expect(vp.getByTestId("incident-row").filter({ hasText: "Revoked: orders spike, hidden title" })).toHaveCount(0);
    // The owner still sees what it was.
    await rp.goto("/incidents");
    await expect(rp.getByTestId("incident-row").filter({ hasText: "Revoked: orders spike, hidden title" })).toContainText("link revoked");
    await responder.close();
    await viewer.close();
  });

  test("a responders-only incident is 403 for a viewer, in the page and the API", async ({ browser }) => {
    const responder = await browser.newContext({ storageState: authFile("responder") });
    const rp = await responder.newPage();
    const endpointId = await openOrdersEndpoint(rp);
    const slug = await createViaApi(rp, endpointId, "responders", "Responders only: orders");

    const viewer = await browser.newContext({ storageState: authFile("viewer") });
    const vp = await viewer.newPage();
    await vp.goto(`/incidents/${slug}`);
    await expect(vp.getByRole("alert").filter({ hasText: "Not available to your role" })).toBeVisible();
    const api = await vp.request.get(`/api/incidents/${slug}`);
    expect(api.status()).toBe(403);
    expect(await api.json()).toMatchObject({ error: { code: "forbidden" } });
    await vp.goto("/incidents");
    await expect(vp.getByRole("link", { name: "Responders only: orders" })).toHaveCount(0);

    await rp.goto("/incidents?severity=sev3");
    await expect(rp.getByRole("link", { name: "Responders only: orders" })).toBeVisible();
    await responder.close();
    await viewer.close();
  });

  test("an unknown link is 404 and an anonymous API call is 401", async ({ browser }) => {
    const anon = await browser.newContext();
    expect((await anon.request.get("/api/incidents/not-a-real-incident-aaaaaaaaaaaaaaaaaaaaaaaaaa")).status()).toBe(401);
    await anon.close();
    const admin = await browser.newContext({ storageState: authFile("admin") });
    expect((await admin.request.get("/api/incidents/not-a-real-incident-aaaaaaaaaaaaaaaaaaaaaaaaaa")).status()).toBe(404);
    await admin.close();
  });
});
