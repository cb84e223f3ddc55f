import http from "node:http";
import { expect, test, authFile } from "./fixtures";
import { createIncident, openOrders } from "./pages";

// Item 10 of the UI pass: the incident summary for Slack and Jira, and a webhook announcing new incidents.
const HOOK_PORT = 4290; // inside the e2e port range

test("an incident copies for Slack and for Jira, each in its own markup", async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: authFile("responder"), permissions: ["clipboard-read", "clipboard-write"] });
  const page = await ctx.newPage();
  const slug = await createIncident(page, await openOrders(page), "Share: orders_p99 [spike]");
  await page.goto(`/incidents/${slug}`);
  const link = `http://localhost:4000/incidents/${slug}`;

  await page.getByText("Summary (Slack)").click();
  const slack = page.getByTestId("summary-slack");
  await expect(slack).toContainText("*[SEV3] Share: orders_p99 [spike]* — open");
  await expect(slack).toContainText(`<${link}|Evidence in Touchline> (SSO)`);
  await page.getByRole("button", { name: "Copy for Slack" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await slack.textContent());

  await page.getByText("Summary (Jira)").click();
  const jira = page.getByTestId("summary-jira");
  await expect(jira).toContainText("h3. \\[SEV3\\] Share: orders\\_p99 \\[spike\\]");
  await expect(jira).toContainText(`[Evidence in Touchline (SSO)|${link}]`);
  await page.getByRole("button", { name: "Copy for Jira" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await jira.textContent());
  await ctx.close();
});

test("an admin sets the new-incident webhook in Settings; the next incident is posted to it as Slack JSON", async ({ browser }) => {
  const received: { text: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => { received.push(JSON.parse(body)); res.end("ok"); });
  });
  await new Promise<void>((r) => server.listen(HOOK_PORT, "127.0.0.1", r));
  const ctx = await browser.newContext({ storageState: authFile("admin") });
  const page = await ctx.newPage();
  try {
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "New incidents webhook" });
    await form.getByLabel("Incident webhook URL").fill(`http://127.0.0.1:${HOOK_PORT}/services/T000/B000/e2e-secret`);
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("stored, sealed").last()).toBeVisible();
    await expect(page.getByText(`(now: 127.0.0.1:${HOOK_PORT} …cret)`)).toBeVisible();
    // The URL itself never comes back to the browser.
    await page.reload();
    expect(await page.content()).not.toContain("e2e-secret");

    await createIncident(page, await openOrders(page), "Webhook: orders slow");
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
    expect(received[0].text).toContain("*[SEV3] Webhook: orders slow* — new incident on *GET /orders*");
  } finally {
    await page.goto("/settings");
    await page.getByRole("form", { name: "New incidents webhook" }).getByRole("button", { name: "Remove" }).click();
    await expect(page.getByRole("form", { name: "New incidents webhook" }).getByRole("button", { name: "Remove" })).toHaveCount(0);
    await ctx.close();
    server.close();
  }
});
