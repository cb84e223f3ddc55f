import { expect, test, signIn } from "../fixtures";
import { e2eEnv, send } from "../security/support";

// The whole loop on the seeded incident, live: the batch export runs again (the Tyk simulator's
// PUT /_sim/flood), an admin replays and applies GET /orders' recommended partner-gold limit, the
// gateway turns the flood away from then on, and after the next sync the minutes after the apply are
// fast again, with the apply drawn as a marker. It leaves a new spike behind, so this project runs
// after the others (playwright.config.ts: "loop" depends on "e2e"). Real minutes pass: ~7 min.

const ORDERS = '[data-testid="endpoint-row"][data-endpoint="GET /orders"]';
const MIN = 60_000;

interface Point { ts: number | string; p99: number | null }

test("an admin applies the recommended limit during a flood: the spike subsides and the apply is a marker", async ({ page }) => {
  test.setTimeout(15 * MIN);
  const env = e2eEnv();
  const flood = await fetch(`${env.tykDashboardUrl}/_sim/flood`, {
    method: "PUT", headers: { Authorization: env.secrets.TYK_DASHBOARD_API_KEY, "Content-Type": "application/json" }, body: JSON.stringify({ minutes: 30 }),
  });
  expect(flood.status).toBe(200);
  const floodStart = Math.ceil(Date.parse(((await flood.json()) as { at: string }).at) / MIN) * MIN;

  await signIn(page, "admin");
  await page.goto("/endpoints");
  await page.locator(ORDERS).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/endpoints\/[^/?]+$/);
  const endpointId = new URL(page.url()).pathname.split("/").pop()!;
  const panel = page.locator("section", { has: page.getByRole("heading", { name: "Capacity & limits" }) });
  const gold = panel.getByRole("list", { name: "Recommended limits" }).getByRole("listitem").filter({ hasText: /^partner-gold: / });
  await expect(gold).toContainText(/→ \d+ per \d+ s/);

  // Two whole minutes of flood before the apply.
  await page.waitForTimeout(Math.max(0, floodStart + 2 * MIN - Date.now()));
  await gold.getByRole("button", { name: /^Replay partner-gold at / }).click();
  await expect(panel.getByTestId("limits-replay")).toContainText(/Replayed over \d+ days/);
  await panel.getByRole("button", { name: "Review (dry run)" }).click();
  await expect(panel.getByTestId("limits-review")).toContainText("nothing is written until you apply");
  await panel.getByRole("button", { name: "Apply to Tyk" }).click();
  await expect(panel.getByRole("status")).toContainText(/Applied: partner-gold is now \d+ per \d+ s/);
  const appliedAt = Date.now();

  // Two whole minutes after it, written by the live pump, then one sync of every stage.
  const after = Math.ceil(appliedAt / MIN) * MIN;
  await page.waitForTimeout(Math.max(0, after + 2 * MIN + 15_000 - Date.now()));
  // A sync pass started after now (a pass already running when asked is joined, and may have read too early).
  const runs = async () => ((await (await page.request.get("/api/sync")).json()) as { latest: { kind: string; status: string; startedAt: string }[] }).latest;
  const asked = Date.now();
  await expect.poll(async () => {
    const stages = (await runs()).filter((r) => ["analytics", "traces"].includes(r.kind));
    const fresh = stages.filter((r) => Date.parse(r.startedAt) >= asked);
    if (fresh.length === 2 && fresh.every((r) => r.status !== "running")) return true;
    if (!fresh.length && stages.every((r) => r.status !== "running")) expect((await send(page.request, "POST", "/api/sync", { data: {} })).status()).toBe(202);
    return false;
  }, { timeout: 6 * MIN, intervals: [10_000] }).toBe(true);

  const q = new URLSearchParams({ from: new Date(floodStart - 10 * MIN).toISOString(), to: new Date(after + 2 * MIN).toISOString() });
  const series = (await (await page.request.get(`/api/endpoints/${endpointId}/series?${q}`)).json()) as { points: Point[]; markers: { label: string; actor: string | null; at: string }[] };
  const p99In = (from: number, to: number) => Math.max(...series.points.filter((p) => {
    const t = typeof p.ts === "number" ? p.ts : Date.parse(p.ts);
    return t >= from && t < to && p.p99 !== null;
  }).map((p) => p.p99!));
  const spike = p99In(floodStart, floodStart + 2 * MIN);
  const calm = p99In(after, after + 2 * MIN);
  expect(spike).toBeGreaterThan(1000);
  expect(calm).toBeLessThan(spike / 2);
  expect(series.markers.some((m) => m.label === "partner-gold" && m.actor === "ada@acme.test" && Date.parse(m.at) >= appliedAt - MIN)).toBe(true);

  await page.reload();
  await expect(page.getByTestId("chart-marker").filter({ hasText: "partner-gold" }).last()).toHaveAttribute("aria-label", /by ada@acme\.test/);
});
