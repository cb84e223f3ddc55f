import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { authFile } from "../fixtures";
import { e2eEnv } from "./support";

// Upstream fault on the running stack: Tyk answers 500 → an admin's "Sync now" fails → /policies
// shows the stale-data banner with the last good sync time and the reason; fault cleared, the next
// sync succeeds and the banner is gone. (A failed latest run is enough for the banner: assessFreshness
// does not wait for 3 × the interval in that case.)

interface RunView { id: string; kind: string; status: string; finishedAt: string | null; errors: { step: string; message: string }[] }

async function setTykFault(fault: { kind: string } | null): Promise<void> {
  const env = e2eEnv();
  const res = await fetch(`${env.tykDashboardUrl}/_sim/fault`, {
    method: "PUT",
    headers: { Authorization: env.secrets.TYK_DASHBOARD_API_KEY, "Content-Type": "application/json" },
    body: JSON.stringify({ fault }),
  });
  expect(res.status, await res.text()).toBe(200);
}

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

async function latestTyk(page: Page): Promise<RunView | undefined> {
  const res = await page.request.get("/api/sync/status");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { latest: RunView[] };
  return body.latest.find((r) => r.kind === "tyk");
}

/** Clicks "Sync now" (once no pass is running) and waits for the Tyk run it starts to finish. */
async function syncNow(page: Page): Promise<RunView> {
  const before = await latestTyk(page);
  const button = page.getByRole("button", { name: "Sync now" });
  await expect(button).toBeEnabled({ timeout: 90_000 });
  await button.click();
  let run: RunView | undefined;
  await expect
    .poll(async () => {
      run = await latestTyk(page);
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
    expect(failed.status).toBe("failed");

    // Checked while the fault is still on, so a scheduled pass cannot turn the data fresh meanwhile.
    await page.reload();
    const banner = page.getByTestId("stale-banner");
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("last good sync at");
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
