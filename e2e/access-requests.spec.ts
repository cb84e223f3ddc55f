import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { expect, test, authFile } from "./fixtures";
import { APP_ORIGIN, e2eEnv, send } from "./security/support";

// Just-in-time access through the console, two people at once: a responder asks, an admin approves
// in another browser, the key appears for the responder within seconds. A viewer cannot approve; a
// denied request issues nothing. Every key made here is revoked before the test ends, so nothing is
// left to expire while later specs compare database snapshots.

let admin: APIRequestContext;
let policy: { id: string; name: string };

async function tykKeyCount(): Promise<number> {
  const env = e2eEnv();
  const res = await fetch(`${env.tykDashboardUrl}/api/keys/detailed?p=-1`, { headers: { Authorization: env.secrets.TYK_DASHBOARD_API_KEY } });
  return ((await res.json()) as { keys: unknown[] }).keys.length;
}

test.beforeAll(async () => {
  admin = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
  const policies = ((await (await send(admin, "GET", "/api/policies")).json()) as { policies: { id: string; name: string }[] }).policies;
  policy = policies.find((p) => p.name === "free-tier")!;
  const offered = await send(admin, "POST", "/api/access-settings/offers", { data: { policyId: policy.id, maxMinutes: 60, description: "e2e" } });
  expect(offered.status()).toBe(200);
});
test.afterAll(async () => {
  await send(admin, "DELETE", `/api/access-settings/offers/${policy.id}`);
  await admin.dispose();
});

test("a responder requests, an admin approves in another browser, the key appears for the responder", async ({ browser }) => {
  const responderCtx = await browser.newContext({ storageState: authFile("responder") });
  const adminCtx = await browser.newContext({ storageState: authFile("admin") });
  const rui = await responderCtx.newPage();
  const ada = await adminCtx.newPage();
  const reason = `e2e ${Date.now().toString(36)}: check catalog lookups`;

  await rui.goto("/access-requests");
  const form = rui.getByRole("form", { name: "New access request" });
  await form.getByLabel("Policy", { exact: true }).selectOption(policy.id);
  await form.getByLabel("Reason").fill(reason);
  await form.getByLabel(/Duration/).fill("30");
  await form.getByRole("button", { name: "Request access" }).click();
  await expect(form.getByRole("status")).toContainText("waiting for an approver");

  await ada.goto("/access-requests");
  const row = ada.getByRole("table", { name: "Requests to approve" }).getByRole("row").filter({ hasText: reason });
  await expect(row).toContainText("rui@acme.test");
  await row.getByRole("button", { name: /^Approve/ }).click();
  await expect(row).toHaveCount(0);

  // The responder's page sees the approval and collects the key: shown once, with the key's org prefix.
  const key = rui.getByTestId("issued-key");
  await expect(key).toHaveText(/^[0-9a-f]{24}[0-9a-f]{32}$/, { timeout: 20_000 });
  const raw = (await key.textContent())!.trim();
  const mine = rui.getByRole("table", { name: "Your requests" }).getByRole("row").filter({ hasText: reason });
  await expect(mine).toContainText("issued");
  await expect(mine).toContainText("approved by ada@acme.test");

  // Shown once: a reload has no trace of it; the timeline has the whole story.
  await rui.reload();
  await expect(rui.getByTestId("issued-key")).toHaveCount(0);
  expect(await rui.content()).not.toContain(raw);
  await mine.getByRole("link", { name: policy.name }).click();
  const timeline = rui.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("Requested");
  await expect(timeline).toContainText("Approved");
  await expect(timeline).toContainText("Key issued to the requester");

  // The key works at the gateway until revoked; then Tyk refuses it.
  const env = e2eEnv();
  const serve = async () => ((await (await fetch(`${env.tykDashboardUrl}/_sim/requests`, { method: "POST", headers: { Authorization: env.secrets.TYK_DASHBOARD_API_KEY }, body: JSON.stringify({ key: raw }) })).json()) as { status: number }).status;
  expect(await serve()).toBe(200);
  await rui.getByRole("button", { name: "Revoke now" }).click();
  await expect(timeline).toContainText("Tyk confirms the key is gone");
  expect(await serve()).toBe(403);
  await responderCtx.close();
  await adminCtx.close();
});

test("a viewer cannot approve someone else's request", async ({ browser }) => {
  const responder = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("responder") });
  const created = await send(responder, "POST", "/api/access-requests", { data: { policyId: policy.id, reason: "viewer must not approve this", durationMinutes: 15 } });
  expect(created.status()).toBe(201);
  const { request } = (await created.json()) as { request: { id: string } };

  const viewerCtx = await browser.newContext({ storageState: authFile("viewer") });
  const vera = await viewerCtx.newPage();
  await vera.goto("/access-requests");
  await expect(vera.getByRole("heading", { name: "Temporary access", exact: true })).toBeVisible();
  await expect(vera.getByRole("table", { name: "Requests to approve" })).toHaveCount(0);
  const refused = await send(vera.request, "POST", `/api/access-requests/${request.id}/approve`, { data: {} });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/not an approver/);
  const still = await send(responder, "GET", `/api/access-requests/${request.id}`);
  expect(((await still.json()) as { request: { status: string } }).request.status).toBe("pending");
  await send(responder, "POST", `/api/access-requests/${request.id}/withdraw`);
  await viewerCtx.close();
  await responder.dispose();
});

test("a denied request issues nothing", async ({ browser }) => {
  const before = await tykKeyCount();
  const responderCtx = await browser.newContext({ storageState: authFile("responder") });
  const rui = await responderCtx.newPage();
  const reason = `e2e deny ${Date.now().toString(36)}`;
  const created = await send(rui.request, "POST", "/api/access-requests", { data: { policyId: policy.id, reason, durationMinutes: 20 } });
  const { request } = (await created.json()) as { request: { id: string } };

  const ada = await (await browser.newContext({ storageState: authFile("admin") })).newPage();
  await ada.goto(`/access-requests/${request.id}`);
  await ada.getByRole("button", { name: "Deny" }).click();
  await expect(ada.getByRole("list", { name: "Timeline" })).toContainText("Denied");

  await rui.goto("/access-requests");
  const mine = rui.getByRole("table", { name: "Your requests" }).getByRole("row").filter({ hasText: reason });
  await expect(mine).toContainText("denied");
  await expect(mine.getByRole("button", { name: "Get key" })).toHaveCount(0);
  const issue = await send(rui.request, "POST", `/api/access-requests/${request.id}/issue`);
  expect(issue.status()).toBe(409);
  expect(await tykKeyCount()).toBe(before);
  const detail = (await (await send(rui.request, "GET", `/api/access-requests/${request.id}`)).json()) as { request: { keyHash: string | null; status: string } };
  expect(detail.request).toMatchObject({ status: "denied", keyHash: null });
  await responderCtx.close();
  await ada.context().close();
});

test("bad input is refused with 400 naming the field", async () => {
  const responder = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("responder") });
  const cases: [unknown, string][] = [
    [{ policyId: policy.id, reason: "too long", durationMinutes: 61 }, "durationMinutes"],
    [{ policyId: "not-offered", reason: "nope", durationMinutes: 10 }, "policyId"],
    [{ policyId: policy.id, reason: "", durationMinutes: 10 }, "reason"],
    [{ reason: "neither", durationMinutes: 10 }, "policyId"],
  ];
  for (const [data, field] of cases) {
    const res = await send(responder, "POST", "/api/access-requests", { data });
    expect(res.status(), JSON.stringify(data)).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  }
  await responder.dispose();
});
