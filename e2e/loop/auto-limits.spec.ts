import type { APIRequestContext, Page } from "@playwright/test";
import pg from "pg";
import { createWorld } from "../../simulators/world";
import { expect, test, authFile } from "../fixtures";
import { e2eEnv, send } from "../security/support";

// Automatic limit mode on the e2e stack: an admin turns it on from an endpoint's page and the change
// it makes is on the Limit changes page; a bad change (a bound so low the key's ordinary traffic gets
// 429s from the simulated gateway) is rolled back by the evaluator itself; the kill switch stops it;
// responders and viewers see it and cannot change it. The endpoint is the first one of a world API
// (the one POST /_sim/requests calls) with a capacity and a recommendation to lower a policy the
// seeded incident does not involve; every change is rolled back and automatic mode turned off again.

interface Candidate { endpointId: string; apiId: string; policyName: string; rawKey: string; peak: number }

let found: Candidate | null = null;

async function candidate(request: APIRequestContext): Promise<Candidate> {
  if (found) return found;
  const state = createWorld({ seed: 42 }).stateAt(new Date());
  const db = new pg.Client({ connectionString: e2eEnv().databaseUrl });
  await db.connect();
  try {
    for (const api of state.apis) {
      const ep = api.endpoints[0];
      const { rows } = await db.query<{ id: string }>("SELECT id FROM endpoints WHERE api_id = $1 AND method = $2 AND path LIKE $3", [api.id, ep.method, `%${ep.template}`]);
      if (!rows[0]) continue;
      const limits = (await (await send(request, "GET", `/api/endpoints/${rows[0].id}/limits`)).json()) as {
        recommendations: { policyId: string; name: string; change: string; current: unknown }[];
        callers: { keyHash: string; policyIds: string[]; p95PerMin: number }[];
      };
      for (const rec of limits.recommendations) {
        if (rec.change !== "lower" || !rec.current || /^(free-tier|partner-gold)$/.test(rec.name)) continue;
        const caller = limits.callers.find((c) => c.policyIds.length === 1 && c.policyIds[0] === rec.policyId && c.p95PerMin >= 2 && state.keys.some((k) => k.hash === c.keyHash));
        if (!caller) continue;
        found = { endpointId: rows[0].id, apiId: api.id, policyName: rec.name, rawKey: state.keys.find((k) => k.hash === caller.keyHash)!.rawKey, peak: caller.p95PerMin };
        return found;
      }
    }
  } finally {
    await db.end();
  }
  throw new Error("no world endpoint with a capacity and a recommendation to lower a policy");
}

const AUTO = (id: string) => `/api/endpoints/${id}/limits/auto`;
const settings = (o: Record<string, unknown> = {}) => ({ enabled: true, minPerMin: 1, maxPerMin: 100_000, maxStep: 0.25, cooldownMinutes: 30, intervalMinutes: 5, rollbackMinutes: 15, ...o });

async function autoPanel(page: Page, endpointId: string) {
  await page.goto(`/endpoints/${endpointId}`);
  const region = page.getByRole("region", { name: "Automatic mode" });
  // The endpoint page computes capacity, replay and the investigation at once: on a shared machine that takes a while.
  await expect(region.getByTestId("auto-state")).toBeVisible({ timeout: 45_000 });
  return region;
}

/** Rolls back automatic changes still in force on the endpoint and turns automatic mode off. */
async function cleanUp(request: APIRequestContext, endpointId: string) {
  await send(request, "PUT", AUTO(endpointId), { data: settings({ enabled: false }) });
  const { changes } = (await (await send(request, "GET", `/api/limit-changes?endpointId=${endpointId}`)).json()) as { changes: { id: string; policyId: string; action: string; rolledBackBy: string | null }[] };
  // Only each policy's newest write can be rolled back (an older one conflicts with it, by design).
  const newest = new Map<string, (typeof changes)[number]>();
  for (const c of changes.filter((x) => x.action !== "skip")) if (!newest.has(c.policyId)) newest.set(c.policyId, c);
  for (const c of [...newest.values()].filter((x) => x.action === "apply" && !x.rolledBackBy)) {
    expect((await send(request, "POST", `/api/limit-changes/${c.id}/rollback`, { data: {} })).status()).toBe(200);
  }
}

test("an admin turns automatic mode on from the endpoint page and sees its change on the Limit changes page", async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: authFile("admin") });
  const page = await ctx.newPage();
  const c = await candidate(page.request);
  const auto = await autoPanel(page, c.endpointId);
  await expect(auto.getByRole("heading")).toContainText("off");
  const form = auto.getByRole("form", { name: "Automatic mode settings" });
  await form.getByLabel("On", { exact: true }).check();
  await form.getByLabel("Min (req/min)").fill("1");
  await form.getByLabel("Max (req/min)").fill("100000");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(auto.getByTestId("auto-state")).toContainText("Bounds 1–100000 req/min · step ≤ 25% · cooldown 30 min · every 5 min");
  await expect(auto.getByTestId("auto-state")).toContainText("next evaluation");
  await expect(auto.getByRole("heading")).toContainText("on");

  await auto.getByRole("button", { name: "Evaluate now" }).click();
  const decision = auto.getByRole("list", { name: "Last automatic decisions" }).getByRole("listitem").filter({ hasText: c.policyName });
  // An evaluation computes the endpoint's 7-day capacity and recommendation first: give it the page's time.
  await expect(decision).toContainText(/changed .*: lower .* capped at a 25% step|changed .*: lower /, { timeout: 60_000 });

  await page.goto("/limit-changes");
  await page.getByRole("navigation", { name: "Filter limit changes" }).getByRole("link", { name: "Automatic" }).click();
  await expect(page).toHaveURL(/mode=automatic/);
  // Every policy of the recommendation is stepped; the candidate's row among them.
  const row = page.getByRole("table", { name: "Limit changes" }).getByRole("row").filter({ hasText: c.policyName }).first();
  await expect(row).toContainText("automatic");
  await expect(row).toContainText("applied");
  await expect(row).toContainText(c.policyName);
  await expect(row).toContainText("touchline-auto");
  await row.getByText("Evidence").click();
  await expect(row.getByTestId("change-evidence")).toContainText(/capacity ≈ .+ req\/s/);
  await page.getByRole("navigation", { name: "Filter limit changes" }).getByRole("link", { name: "Manual" }).click();
  await expect(page.getByRole("table", { name: "Limit changes" }).getByText("touchline-auto")).toHaveCount(0);
  await cleanUp(page.request, c.endpointId);
  await ctx.close();
});

test("automatic mode rolls back by itself a change that got normal callers 429s on the simulator", async ({ browser }) => {
  test.setTimeout(360_000);
  const ctx = await browser.newContext({ storageState: authFile("admin") });
  const page = await ctx.newPage();
  const c = await candidate(page.request);
  // A maximum far under the key's normal rate, in one step, judged after one minute.
  expect((await send(page.request, "PUT", AUTO(c.endpointId), { data: settings({ maxPerMin: 1, maxStep: 1, cooldownMinutes: 1, rollbackMinutes: 1 }) })).status()).toBe(200);
  let changeId = "";
  await expect(async () => {
    // The last change on the policy (the test above) may be inside the one-minute cooldown.
    const res = await send(page.request, "POST", `${AUTO(c.endpointId)}/evaluate`, { data: {} });
    const { decisions } = (await res.json()) as { decisions: { kind: string; policyName: string; limitChangeId?: string }[] };
    const d = decisions.find((x) => x.policyName === c.policyName && x.kind === "change");
    expect(d).toBeTruthy();
    changeId = d!.limitChangeId!;
  }).toPass({ timeout: 90_000, intervals: [5_000] });

  // The key calls at a quarter of its normal peak: the gateway lets at most one through and answers the rest 429
  // (as it does the world's own traffic on the API meanwhile).
  const env = e2eEnv();
  const count = Math.max(2, Math.floor(c.peak / 4));
  const sim = await fetch(`${env.tykDashboardUrl}/_sim/requests`, {
    method: "POST", headers: { Authorization: env.secrets.TYK_DASHBOARD_API_KEY }, body: JSON.stringify({ key: c.rawKey, count, apiId: c.apiId }),
  });
  expect(((await sim.json()) as { rateLimited: number }).rateLimited).toBeGreaterThanOrEqual(count - 1);

  // Once a minute has passed and the analytics sync has ingested it, an evaluation rolls it back. Other policies
  // the same evaluation lowered (possibly a cooldown earlier) are judged on their own windows and may be rolled
  // back first: wait for this change's own rollback.
  const changesNow = async () =>
    ((await (await send(page.request, "GET", `/api/limit-changes?endpointId=${c.endpointId}`)).json()) as { changes: { id: string; rolledBackBy: string | null }[] }).changes;
  await expect(async () => {
    expect((await send(page.request, "POST", `${AUTO(c.endpointId)}/evaluate`, { data: {} })).status()).toBe(200);
    expect((await changesNow()).find((x) => x.id === changeId)?.rolledBackBy).toBeTruthy();
  }).toPass({ timeout: 240_000, intervals: [10_000] });
  const rollbackId = (await changesNow()).find((x) => x.id === changeId)!.rolledBackBy!;

  const auto = await autoPanel(page, c.endpointId);
  await expect(auto.getByRole("list", { name: "Last automatic decisions" })).toContainText(/rolled back .*(callers within their normal peak were rejected|p99)/);
  await page.goto("/limit-changes?mode=automatic");
  const row = page.getByRole("table", { name: "Limit changes" }).getByRole("row").filter({ hasText: c.policyName }).filter({ hasText: "automatic rollback:" }).first();
  await expect(row).toContainText("rolled back");
  await row.getByText("Evidence").click();
  await expect(row.getByTestId("change-evidence")).toContainText(/p99 .+ before → .+ after/);
  await expect(row.getByTestId("change-evidence")).toContainText(/429s to callers within their normal peak: \d+ before → \d+ after/);
  expect((await changesNow()).find((x) => x.id === rollbackId)).toBeTruthy();
  await cleanUp(page.request, c.endpointId);
  await ctx.close();
});

test("the kill switch stops automatic writes and shows wherever automatic mode does; bad settings are refused naming the field", async ({ browser }) => {
  // The endpoint page (up to 45 s on a shared machine) and an evaluation (up to 60 s) in one test.
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ storageState: authFile("admin") });
  const page = await ctx.newPage();
  const c = await candidate(page.request);
  for (const [body, field] of [
    [{ minPerMin: 50, maxPerMin: 10 }, "minPerMin"], [{ maxPerMin: -1 }, "maxPerMin"], [{ maxStep: 1.5 }, "maxStep"], [{ maxStep: 0 }, "maxStep"], [{ cooldownMinutes: -5 }, "cooldownMinutes"],
  ] as const) {
    const res = await send(page.request, "PUT", AUTO(c.endpointId), { data: settings(body) });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  }
  const unknown = await send(page.request, "PUT", AUTO("no-such-endpoint"), { data: settings() });
  expect(unknown.status()).toBe(400);
  expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe("id");

  await page.goto("/limit-changes");
  await page.getByRole("button", { name: "Turn the kill switch on" }).click();
  await expect(page.getByTestId("kill-switch")).toContainText("Kill switch on (ada@acme.test): nothing automatic writes to Tyk");
  try {
    expect((await send(page.request, "PUT", AUTO(c.endpointId), { data: settings() })).status()).toBe(200);
    const before = ((await (await send(page.request, "GET", "/api/limit-changes")).json()) as { changes: unknown[] }).changes.length;
    const auto = await autoPanel(page, c.endpointId);
    await expect(auto.getByRole("status")).toContainText("Kill switch on (ada@acme.test): nothing automatic writes to Tyk");
    await auto.getByRole("button", { name: "Evaluate now" }).click();
    await expect(auto.getByRole("list", { name: "Last automatic decisions" })).toContainText("the kill switch is on", { timeout: 60_000 });
    expect(((await (await send(page.request, "GET", "/api/limit-changes")).json()) as { changes: unknown[] }).changes.length).toBe(before);
  } finally {
    await page.goto("/limit-changes");
    await page.getByRole("button", { name: "Turn the kill switch off" }).click();
    await expect(page.getByTestId("kill-switch")).toContainText("kill switch off");
    await cleanUp(page.request, c.endpointId);
  }
  await ctx.close();
});

for (const role of ["viewer", "responder"] as const) {
  test(`a ${role} sees automatic mode and the kill switch but cannot change them`, async ({ browser }) => {
    test.setTimeout(120_000); // the endpoint page takes up to 45 s on a shared machine
    const ctx = await browser.newContext({ storageState: authFile(role) });
    const page = await ctx.newPage();
    const c = await candidate(page.request);
    const auto = await autoPanel(page, c.endpointId);
    await expect(auto.getByTestId("auto-state")).toBeVisible();
    await expect(auto.getByRole("form", { name: "Automatic mode settings" })).toHaveCount(0);
    await expect(auto.getByRole("button", { name: "Evaluate now" })).toHaveCount(0);
    expect((await send(page.request, "GET", AUTO(c.endpointId))).status()).toBe(200);
    expect((await send(page.request, "PUT", AUTO(c.endpointId), { data: settings() })).status()).toBe(403);
    expect((await send(page.request, "POST", `${AUTO(c.endpointId)}/evaluate`, { data: {} })).status()).toBe(403);
    expect((await send(page.request, "PUT", "/api/limits/auto", { data: { killSwitch: true } })).status()).toBe(403);
    await page.goto("/limit-changes");
    await expect(page.getByTestId("kill-switch")).toBeVisible();
    await expect(page.getByRole("button", { name: /kill switch/ })).toHaveCount(0);
    await ctx.close();
  });
}
