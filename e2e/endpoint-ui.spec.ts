import type { Page } from "@playwright/test";
import { expect, test, authFile } from "./fixtures";

// The endpoint page as an on-call engineer reads it (issue 21, items 1, 2, 4 and 7), on the seeded
// incident: ada@acme.test raised partner-gold's rate limit 100 → 2000 per second; the batch key
// globex-batch under it started minutes later and its slow requests explain the p99 rise.
const WEEK = 7 * 24 * 3_600_000;

async function openOrders(page: Page): Promise<string> {
  await page.goto("/endpoints");
  await page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]').getByRole("link").first().click();
  await expect(page.getByTestId("verdict")).toBeVisible();
  return new URL(page.url()).pathname;
}

test.describe("endpoint page: the verdict, the chart, time ranges, less noise", () => {
  test.use({ storageState: authFile("responder"), timezoneId: "Europe/Berlin" });

  test("the verdict tells one story per cause, with units, and keeps the statistics one click away", async ({ page }) => {
    await openOrders(page);
    const verdict = page.getByTestId("verdict");
    await expect(verdict).toContainText(/ada@acme\.test raised partner-gold's rate limit from 100 to 2,000 requests per second at \d\d:\d\d UTC; /);
    await expect(verdict).toContainText(/\d+ min later globex-batch \(under partner-gold\) went from [\d.]+ to [\d.,]+ requests per minute, and its slow requests explain 9\d% of the p99 rise \(90% CI \d+–\d+%\)\./);
    // One cause, said once: not "partner-gold explains 96%; globex-batch explains 96%; …".
    expect((await verdict.textContent())!.match(/\d+% of the p99 rise/g)).toHaveLength(1);
    await expect(verdict).not.toContainText("q =");

    const first = page.getByRole("list", { name: "Suspects, most likely first" }).getByTestId("suspect").first();
    await expect(first.getByTestId("suspect-label")).toHaveText("Access change partner-gold → key globex-batch");
    await expect(first.getByTestId("link-detail")).toHaveText(/^globex-batch \(under partner-gold\) started \d+ min after the limit rose 100 → 2000\/s$/);
    await expect(first).not.toContainText("q =");

    const how = page.getByTestId("how-computed");
    await expect(how.getByText(/q = /)).toBeHidden();
    await how.getByText("How is this computed?").click();
    await expect(how.getByText(/bootstrap resamples/)).toBeVisible();
    await expect(how.getByText(/1\. Access change partner-gold → key globex-batch: share 9\d% \[\d+%–\d+%\], q = /)).toBeVisible();
  });

  test("the chart explains itself: legend, labelled axes, readable markers with their diff, changes elsewhere listed", async ({ page }) => {
    await openOrders(page);
    const legend = page.getByRole("list", { name: "Chart legend" });
    for (const item of ["p50", "p95", "p99", "requests / min (right axis)", "spike", "change ranked as a suspect"]) await expect(legend.getByText(item, { exact: true })).toBeVisible();
    await expect(legend.getByText(/^p99 a week ago/)).toBeVisible();
    const chart = page.getByRole("figure", { name: /Latency \(p50, p95, p99\)/ });
    await expect(chart.locator("text", { hasText: "requests / min" })).toBeVisible();
    await expect(chart.locator("text", { hasText: "latency" })).toBeVisible();

    const flag = page.getByTestId("chart-marker").filter({ hasText: "partner-gold" });
    await expect(flag).toHaveCount(1);
    for (const text of await page.getByTestId("chart-marker").allTextContents()) expect(text.length).toBeGreaterThan(2); // never a bare letter
    await flag.hover();
    const tip = page.getByRole("tooltip");
    await expect(tip).toContainText("Policy partner-gold");
    const rate = tip.getByRole("table", { name: "Diff" }).getByTestId("diff-row").filter({ hasText: /^rate/ });
    await expect(rate.getByRole("cell").nth(1)).toHaveText("100");
    await expect(rate.getByRole("cell").nth(2)).toContainText("2000");

    // Changes to other APIs are not drawn; they are listed, collapsed, as elsewhere.
    const elsewhere = page.getByTestId("changes-elsewhere");
    await expect(elsewhere).not.toHaveAttribute("open");
    await expect(elsewhere.locator("summary")).toHaveText(/^\d+ changes? elsewhere in this range \(cannot reach this endpoint, not drawn\)$/);
    await elsewhere.locator("summary").click();
    const away = (await elsewhere.locator("li .font-mono").allTextContents()).map((t) => t.trim());
    expect(away.length).toBeGreaterThan(0);
    const drawn = await page.getByTestId("chart-marker").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
    for (const label of away) expect(drawn.some((d) => d.includes(` ${label} `))).toBe(false);
  });

  test("time ranges: presets, a remembered UTC/local toggle, zone-less links read as UTC, last week's series", async ({ page }) => {
    // The week-over-week line asks the series API for the same range a week earlier.
    const weekAgo = page.waitForRequest((r) => {
      const u = new URL(r.url());
      return u.pathname.endsWith("/series") && Date.now() - Date.parse(u.searchParams.get("to") ?? "") > WEEK - 3_600_000;
    });
    const path = await openOrders(page);
    await weekAgo;

    const form = page.getByRole("form", { name: "Analysed window" });
    await expect(form.getByLabel("From (UTC)")).toBeVisible();
    await expect(page.getByTestId("analysed-window")).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC – \d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    // Local zone (the browser's, Europe/Berlin here): every time on the page follows, and the choice survives a reload.
    const zone = page.getByRole("group", { name: "Time zone" });
    await zone.getByRole("button", { name: /^Local \(GMT\+1\)$/ }).click();
    await expect(page.getByTestId("analysed-window")).toContainText(/\d\d:\d\d GMT\+1 – .*GMT\+1/);
    await expect(form.getByLabel("From (GMT+1)")).toBeVisible();
    const localFrom = await form.getByLabel("From (GMT+1)").inputValue();
    await page.reload();
    await expect(page.getByRole("group", { name: "Time zone" }).getByRole("button", { name: /^Local/ })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("form", { name: "Analysed window" }).getByLabel("From (GMT+1)")).toHaveValue(localFrom);
    await page.getByRole("group", { name: "Time zone" }).getByRole("button", { name: "UTC", exact: true }).click();
    const utcFrom = await page.getByRole("form", { name: "Analysed window" }).getByLabel("From (UTC)").inputValue();
    expect(Date.parse(`${utcFrom}:00Z`) - Date.parse(`${localFrom}:00Z`)).toBe(-3_600_000);

    // A relative range: the last 6 hours up to now.
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "Last 6 h" }).click();
    await expect(page).toHaveURL(/\?from=.+&to=.+/);
    const url = new URL(page.url());
    const [from, to] = [Date.parse(url.searchParams.get("from")!), Date.parse(url.searchParams.get("to")!)];
    expect(to - from).toBe(6 * 3_600_000);
    expect(Math.abs(Date.now() - to)).toBeLessThan(3 * 60_000);
    await expect(page.getByRole("button", { name: "Last 6 h" })).toHaveAttribute("aria-pressed", "true");

    // A link without a zone means UTC in every browser (this one runs in Berlin), and the page says so.
    const f = new Date(from).toISOString().slice(0, 16), t = new Date(to).toISOString().slice(0, 16);
    await page.goto(`${path}?from=${f}&to=${t}`);
    await expect(page.getByTestId("zoneless-note")).toHaveText("The link's times have no time zone; they are read as UTC.");
    await expect(page.getByRole("form", { name: "Analysed window" }).getByLabel("From (UTC)")).toHaveValue(f);
    await expect(page.getByRole("form", { name: "Analysed window" }).getByLabel("To (UTC)")).toHaveValue(t);
  });

  test("less noise: ranks 1, 2, 3 per list, not-significant collapsed, no -0%, actions on same-named changes, diffs as tables", async ({ page }) => {
    await openOrders(page);
    const ranks = await page.getByRole("list", { name: "Suspects, most likely first" }).getByTestId("suspect").evaluateAll((els) => els.map((e) => e.getAttribute("data-rank")));
    expect(ranks).toEqual(ranks.map((_, i) => String(i + 1)));
    // Each cause is a heading too (screen readers jump between them): "1. …", "2. …".
    const headings = await page.getByRole("list", { name: "Suspects, most likely first" }).getByRole("heading", { level: 3 }).allTextContents();
    expect(headings.map((h) => h.split(".")[0])).toEqual(ranks);

    const hidden = page.getByTestId("not-significant");
    await expect(hidden).not.toHaveAttribute("open");
    await expect(hidden.locator("summary")).toHaveText(/^Not significant \(\d+\)/);
    await expect(hidden.getByTestId("suspect").first()).toBeHidden();
    await hidden.locator("summary").click();
    const others = hidden.getByTestId("suspect");
    const otherRanks = await others.evaluateAll((els) => els.map((e) => e.getAttribute("data-rank")));
    expect(otherRanks).toEqual(otherRanks.map((_, i) => String(i + 1)));
    // The mobile-app key was created and later revoked: two changes with one label, told apart by their action.
    const mobile = others.filter({ hasText: "mobile-app" }).filter({ has: page.getByText(/^(created|revoked)$/) });
    await expect(mobile).toHaveCount(2);
    await expect(mobile.getByText("revoked", { exact: true })).toHaveCount(1);
    await expect(mobile.getByText("created", { exact: true })).toHaveCount(1);
    expect(await page.locator("main").innerText()).not.toMatch(/-0%/);

    // The evidence drawer's diff is a field table, not JSON.
    await page.getByRole("list", { name: "Suspects, most likely first" }).getByTestId("suspect").first().click();
    const dialog = page.getByRole("dialog");
    const rate = dialog.getByRole("table", { name: "Diff" }).getByTestId("diff-row").filter({ hasText: /^rate/ });
    await expect(rate.getByRole("cell").nth(1)).toHaveText("100");
    await expect(dialog.getByRole("table", { name: "Diff" })).not.toContainText("{");
    await expect(dialog.getByTestId("drawer-link-detail")).toContainText("started");
  });

  test("a phone (390 × 844) reads the verdict, the chart and the suspects without sideways scrolling", async ({ page }) => {
    const path = await openOrders(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(path);
    await expect(page.getByTestId("verdict")).toBeVisible();
    for (const el of [page.getByTestId("verdict"), page.getByRole("figure", { name: /Latency \(p50, p95, p99\)/ }), page.getByRole("list", { name: "Chart legend" }),
      page.getByRole("group", { name: "Time range" }), page.getByRole("list", { name: "Suspects, most likely first" }).getByTestId("suspect").first()]) {
      await el.scrollIntoViewIfNeeded();
      await expect(el).toBeVisible();
      const box = (await el.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: "test-results/screens/endpoint-390.png", fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: "test-results/screens/endpoint-1440.png", fullPage: true });
  });
});

test.describe("diffs and audit details as tables", () => {
  test.use({ storageState: authFile("admin") });

  test("the audit page shows each event's details as a field table, never JSON", async ({ page }) => {
    // An event with details: creating a console API token records its name, prefix, scopes and expiry.
    const name = `e2e-audit-${Date.now().toString(36)}`;
    await page.goto("/settings/tokens");
    const form = page.getByRole("form", { name: "New API token" });
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId(`token-row-${name}`)).toBeVisible();

    await page.goto("/audit?action=token.create");
    const row = page.getByRole("table", { name: "Audit events" }).getByRole("row").filter({ hasText: name });
    const details = row.getByRole("table", { name: "Details" });
    await expect(details.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "name", exact: true }) })).toContainText(name);
    await expect(details.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "scopes", exact: true }) })).toContainText("read");
    await expect(details.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "expires at", exact: true }) })).toContainText(/\d{4}-\d\d-\d\d/);
    expect(await details.innerText()).not.toMatch(/[{}[\]]|":/);
    await page.screenshot({ path: "test-results/screens/audit-1440.png" });
  });
});
