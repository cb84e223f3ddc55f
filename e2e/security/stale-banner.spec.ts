import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { authFile } from "../fixtures";
import { e2eEnv, setLightstepFault, setTykFault } from "./support";

// Upstream fault on the running stack: Tyk answers 500 → an admin's "Sync now" fails → /policies
// shows the stale-data banner with the last good sync time and the reason; fault cleared, the next
// sync succeeds and the banner is gone. (A failed latest run is enough for the banner: assessFreshness
// does not wait for 3 × the interval in that case.) Likewise for the trace backend: Lightstep answering
// nothing fails the trace run, and the endpoint pages and settings say latency data may be stale.

interface RunView { id: string; kind: string; status: string; finishedAt: string | null; errors: { step: string; message: string }[] }

/** When the newest Tyk run that did not fail ended (what the banner calls the last good sync). */
async function lastGoodFinish(): Promise<string> {
  const client = new pg.Client({ connectionString: e2eEnv().databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ at: Date }>(
      "SELECT finished_at AS at FROM sync_runs WHERE kind = 'tyk' AND status IN ('succeeded', 'partial') ORDER BY started_at DESC LIMIT 1",
    );
    return r.rows[0].at.toISOString();
  } finally {
    await client.end();
  }
}

async function latestRun(page: Page, kind: string): Promise<RunView | undefined> {
  const res = await page.request.get("/api/sync/status");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { latest: RunView[] };
  return body.latest.find((r) => r.kind === kind);
}

/** Clicks "Sync now" (once no pass is running) and waits for the run of `kind` it starts to finish. */
async function syncNow(page: Page, kind = "tyk"): Promise<RunView> {
  const before = await latestRun(page, kind);
  const button = page.getByRole("button", { name: "Sync now" });
  await expect(button).toBeEnabled({ timeout: 90_000 });
  await button.click();
  let run: RunView | undefined;
  await expect
    .poll(async () => {
      run = await latestRun(page, kind);
      return run && run.id !== before?.id && run.status !== "running";
    }, { timeout: 90_000 })
    .toBe(true);
  return run!;
}

test.use({ storageState: authFile("admin") });

test("a failing Tyk sync shows the stale banner with the last good sync time and reason; recovery clears it", async ({ page }) => {
  test.setTimeout(300_000);
  await setTykFault(null);
  try {
    await page.goto("/policies");
    const good = await syncNow(page);
    expect(good.status, JSON.stringify(good.errors)).not.toBe("failed");
    await page.reload();
    await expect(page.getByTestId("stale-banner")).toHaveCount(0);

    await setTykFault({ kind: "500" });
    const failed = await syncNow(page);
    expect(failed.status, JSON.stringify(failed)).toBe("failed");

    // Checked while the fault is still on, so a scheduled pass cannot turn the data fresh meanwhile.
    await page.reload();
    const banner = page.getByTestId("stale-banner");
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("last good Tyk sync at");
    await expect(banner).toContainText("the last sync failed");
    await expect(banner).toContainText(failed.errors[0].step);
    await expect(banner.locator("time")).toHaveAttribute("datetime", await lastGoodFinish());
    await setTykFault(null);

    const recovered = await syncNow(page);
    expect(recovered.status, JSON.stringify(recovered.errors)).not.toBe("failed");
    await page.reload();
    await expect(page.getByTestId("stale-banner")).toHaveCount(0);
  } finally {
    await setTykFault(null);
  }
});

test("a trace backend that answers nothing fails the trace sync and the endpoint pages say latency may be stale; recovery clears it", async ({ page }) => {
  test.setTimeout(300_000);
  await setLightstepFault(null);
  try {
    await page.goto("/settings");
    const good = await syncNow(page, "traces");
    expect(good.status, JSON.stringify(good.errors)).not.toBe("failed");
    await page.goto("/endpoints");
    await expect(page.getByTestId("trace-stale-banner")).toHaveCount(0);

    await setLightstepFault({ kind: "500", times: 10_000 });
    // A run asks the backend only for minutes it has not read: let a new minute begin first.
    await page.waitForTimeout(60_000 - (Date.now() % 60_000) + 1_000);
    await page.goto("/settings");
    const failed = await syncNow(page, "traces");
    expect(failed.status, JSON.stringify(failed)).toBe("failed");
    expect(failed.errors.at(-1)?.message).toMatch(/answered none of the run's \d+ requests/);

    for (const path of ["/endpoints", "/settings"]) {
      await page.goto(path);
      const banner = page.getByTestId("trace-stale-banner");
      await expect(banner).toBeVisible();
      await expect(banner).toContainText("Latency data may be stale");
      await expect(banner).toContainText("last good trace sync at");
      await expect(banner).toContainText("the last sync failed");
    }
    // The endpoint page too: the list's first row leads to it.
    await page.goto("/endpoints");
    await page.getByRole("link", { name: /\/orders/ }).first().click();
    await expect(page.getByTestId("trace-stale-banner")).toBeVisible();
    // Tyk is fine: its banner stays away.
    await expect(page.getByTestId("stale-banner")).toHaveCount(0);
    await setLightstepFault(null);

    await page.goto("/settings");
    const recovered = await syncNow(page, "traces");
    expect(recovered.status, JSON.stringify(recovered.errors)).not.toBe("failed");
    await page.goto("/endpoints");
    await expect(page.getByTestId("trace-stale-banner")).toHaveCount(0);
  } finally {
    await setLightstepFault(null);
  }
});
