import { asRole, expect } from "./fixtures";
import { setTykFault } from "./security/support";

// The sync stages on the running stack: each has its own state, budget and timing in GET /api/sync and
// on Settings; a slow Tyk Dashboard shows its stage running (with how long, against its budget)
// while the others stay usable; and the pump writes live during the syncs, so the analytics stage
// keeps finding new rows.

interface Stage { kind: string; state: string; runningForMs: number | null; budgetMs: number | null; lastDurationMs: number | null; nextRunAt: string | null }
interface Run { id: string; kind: string; status: string; counts: Record<string, number> }
interface Status { stages: Stage[]; latest: Run[] }

const test = asRole("admin");

test("GET /api/sync answers every stage with its state, budget and timing", async ({ page }) => {
  const res = await page.request.get("/api/sync");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as Status;
  expect(body.stages.map((s) => s.kind)).toEqual(["tyk", "analytics", "traces"]);
  for (const s of body.stages) {
    // The stack's first sync ran every stage.
    expect(s.state, s.kind).not.toBe("never");
    expect(s.budgetMs, s.kind).toBeGreaterThan(0);
    if (s.state !== "running") expect(s.lastDurationMs, s.kind).toBeGreaterThanOrEqual(0);
  }
});

test("a slow Tyk Dashboard: Settings shows its stage running against its budget, then finished", async ({ page }) => {
  test.setTimeout(240_000);
  try {
    // Every Dashboard answer takes 2 s for the next 6 requests: whichever Tyk run comes next is slow.
    await setTykFault({ kind: "slow", ms: 2000, times: 6 });
    await page.goto("/settings");
    const tyk = page.getByTestId("sync-run-tyk");
    const button = page.getByRole("button", { name: "Sync now" });
    if (await button.isEnabled()) await button.click();
    await expect(tyk).toHaveAttribute("data-state", "running", { timeout: 90_000 });
    await expect(page.getByTestId("sync-timing-tyk")).toContainText(/running for \d+ s of a \d+ (s|min) budget/);
    await expect(page.getByTestId("sync-progress-tyk")).toBeVisible();
    // The other stages are listed with their own state meanwhile.
    await expect(page.getByTestId("sync-run-analytics")).toHaveAttribute("data-state", /succeeded|partial|running/);
    await expect(tyk).toHaveAttribute("data-state", /succeeded|partial/, { timeout: 120_000 });
    await expect(page.getByTestId("sync-timing-tyk")).toContainText(/took \d+ s/);
  } finally {
    await setTykFault(null);
  }
});

test("the pump writes while syncs run: each analytics run finds new rows", async ({ page }) => {
  test.setTimeout(240_000);
  const analyticsRun = async () => ((await (await page.request.get("/api/sync")).json()) as Status).latest.find((r) => r.kind === "analytics");
  const before = await analyticsRun();
  await page.goto("/settings");
  const button = page.getByRole("button", { name: "Sync now" });
  await expect(button).toBeEnabled({ timeout: 90_000 });
  await button.click();
  let run: Run | undefined;
  await expect.poll(async () => {
    run = await analyticsRun();
    return run && run.id !== before?.id && run.status !== "running";
  }, { timeout: 120_000 }).toBe(true);
  expect(run!.status).toBe("succeeded");
  expect(run!.counts.rows).toBeGreaterThan(0);
});
