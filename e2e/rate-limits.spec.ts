import type { Page } from "@playwright/test";
import { expect, test, authFile } from "./fixtures";
import { send } from "./security/support";

// The "Capacity & limits" panel of GET /orders: everyone reads it and replays a proposed limit;
// only an admin reviews, applies (PUT to the Tyk simulator) and rolls back. The change is made on a
// policy the seeded incident does not involve, by one request per second less than it has, and
// rolled back at once: the seeded answer and the other specs' policies stay as they were.

const ORDERS = '[data-testid="endpoint-row"][data-endpoint="GET /orders"]';

async function openOrders(page: Page) {
  await page.goto("/endpoints");
  await page.locator(ORDERS).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/endpoints\/[^/?]+$/);
  const panel = page.locator("section", { has: page.getByRole("heading", { name: "Capacity & limits" }) });
  // The panel computes 7 days of capacity and the recommendation: up to 45 s on a shared machine.
  await expect(panel.getByTestId("capacity-text")).toHaveText(/^(capacity ≈ .+ req\/s at p99 ≤ .+ ms \(90% CI .+\)|not enough data: .+)$/, { timeout: 45_000 });
  return panel;
}

for (const role of ["viewer", "responder"] as const) {
  test(`a ${role} reads capacity and replays a limit, but cannot apply or roll back`, async ({ browser }) => {
    test.setTimeout(120_000);
    const ctx = await browser.newContext({ storageState: authFile(role) });
    const page = await ctx.newPage();
    const panel = await openOrders(page);
    const form = panel.getByRole("form", { name: "Proposed limit" });
    await form.getByRole("button", { name: "Replay" }).click();
    await expect(panel.getByTestId("limits-replay")).toContainText(/Replayed over \d+ days/);
    await expect(panel.getByRole("button", { name: /Review|Apply|Roll back/ })).toHaveCount(0);
    const refused = await send(page.request, "POST", "/api/limit-changes", { data: { policyId: "x", scope: "policy", rate: 1, per: 1, baseVersion: 1, dryRun: true } });
    expect(refused.status()).toBe(403);
    expect((await send(page.request, "POST", "/api/limit-changes/x/rollback", { data: {} })).status()).toBe(403);
    await ctx.close();
  });
}

test("an admin reviews, applies and rolls back a limit; bad input is refused naming the field", async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ storageState: authFile("admin") });
  const page = await ctx.newPage();
  const panel = await openOrders(page);
  const endpointId = new URL(page.url()).pathname.split("/").pop();
  const form = panel.getByRole("form", { name: "Proposed limit" });
  const select = form.getByRole("combobox");
  const options = await select.locator("option").allTextContents();
  const choice = options.find((o) => !/^(free-tier|partner-gold) /.test(o) && /now \d+ per \d+ s/.test(o))!;
  expect(choice).toBeTruthy();
  const [, rate, per] = choice.match(/now (\d+) per (\d+) s/)!;
  await select.selectOption({ label: choice });
  const lower = Number(rate) - 1;
  await form.getByLabel("Rate").fill(String(lower));
  await form.getByLabel("Per (s)").fill(per);
  // With a daily quota and a throttle alongside (Tyk's quota_max/quota_renewal_rate, throttle_interval/throttle_retry_limit).
  await form.getByLabel("Quota", { exact: true }).fill("5000");
  await form.getByLabel("Quota renews (s)").fill("86400");
  await form.getByLabel("Throttle every (s)").fill("5");
  await form.getByLabel("Throttle retries").fill("12");
  // The replay plays the quota and the throttle too.
  const replayed = page.waitForResponse((r) => /\/limits\/replay\?.*quotaMax=5000&quotaRenewalRate=86400&throttleInterval=5&throttleRetryLimit=12/.test(r.url()));
  await form.getByRole("button", { name: "Replay" }).click();
  expect((await replayed).status()).toBe(200);
  await expect(panel.getByTestId("limits-replay")).toBeVisible();

  await panel.getByRole("button", { name: "Review (dry run)" }).click();
  const review = panel.getByTestId("limits-review");
  await expect(review).toContainText("nothing is written until you apply");
  // A policy reaching several APIs gets a per-API limit (access_rights[api].limit.rate), else its own rate.
  await expect(review).toContainText(new RegExp(`rate: \\d+ → ${lower}`));
  await expect(review).toContainText(/quota_max: -?\d+ → 5000/);
  await expect(review).toContainText(/throttle_retry_limit: -?\d+ → 12/);
  await expect(review.getByTestId("limits-review-summary")).toContainText(`→ ${lower} per ${per} s, quota 5000 per 86400 s, throttle 12 retries every 5 s`);
  await panel.getByRole("button", { name: "Apply to Tyk" }).click();
  await expect(panel.getByRole("status")).toContainText(`is now ${lower} per ${per} s`);
  const changes = panel.getByRole("list", { name: "Limit changes" });
  await expect(changes.getByRole("listitem").first()).toContainText(new RegExp(`applied .+ → ${lower} per ${per} s`));
  await expect(changes.getByRole("listitem").first()).toContainText("by ada@acme.test");

  await changes.getByRole("button", { name: "Roll back" }).click();
  await expect(changes.getByRole("listitem").first()).toContainText(new RegExp(`rolled back ${lower} per ${per} s, quota 5000 per 86400 s, throttle 12 retries every 5 s → `));
  await expect(changes.getByRole("button", { name: "Roll back" })).toHaveCount(0);

  // Both are listed on the Limit changes page, newest first, with the endpoint they were made from.
  await page.getByRole("link", { name: "Limit changes" }).click();
  const table = page.getByRole("table", { name: "Limit changes" });
  await expect(table.getByRole("row").nth(1)).toContainText(new RegExp(`rolled back ${lower} per ${per} s, quota 5000 per 86400 s, throttle 12 retries every 5 s → `));
  await expect(table.getByRole("row").nth(2)).toContainText(new RegExp(`applied .+ → ${lower} per ${per} s`));
  await expect(table.getByRole("row").nth(2)).toContainText("GET /orders");

  // Bad input: 400 naming the field, nothing written.
  const count = async () => ((await (await send(page.request, "GET", "/api/limit-changes")).json()) as { changes: unknown[] }).changes.length;
  const before = await count();
  for (const [body, field] of [
    [{ rate: -5 }, "rate"], [{ per: 0 }, "per"], [{ policyId: "no-such-policy" }, "policyId"], [{ scope: "api" }, "apiId"],
    [{ quotaMax: 100, quotaRenewalRate: 0 }, "quotaRenewalRate"], [{ throttleRetryLimit: 3 }, "throttleInterval"],
  ] as const) {
    const data: Record<string, unknown> = { policyId: "no-such-policy", scope: "policy", rate: 5, per: 60, baseVersion: 1 };
    const res = await send(page.request, "POST", "/api/limit-changes", { data: { ...data, ...body } });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  }
  expect(await count()).toBe(before);
  const replay = await send(page.request, "GET", `/api/endpoints/${endpointId}/limits/replay?policyId=x&rate=5&per=60&quotaMax=100`);
  expect(replay.status()).toBe(400);
  expect(((await replay.json()) as { error: { field: string } }).error.field).toBe("quotaRenewalRate");
  await ctx.close();
});
