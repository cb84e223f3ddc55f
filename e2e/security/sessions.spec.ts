import { expect, request as playwrightRequest, test, type Browser } from "@playwright/test";
import { authFile, signIn, USERS, type RoleName } from "../fixtures";
import { APP_ORIGIN, dbQuery, expectErrorJson, send, setIdpGroups } from "./support";

// Server-side sessions on the running stack: a copied cookie dies with sign-out, an admin's "sign
// out everywhere" ends every browser of a person, a role taken away at the IdP is gone within the
// refresh period (the e2e stack re-reads it every 5 s), and no session outlives its absolute end.

/** A fresh browser signed in as `role`, and a second, cookie-only client holding a copy of its cookies. */
async function signedIn(browser: Browser, role: RoleName) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, role);
  const copy = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: await context.storageState() });
  return { context, page, copy, close: async () => Promise.all([context.close(), copy.dispose()]) };
}

async function roleOf(ctx: { get: (u: string, o?: object) => Promise<{ status(): number; json(): Promise<unknown> }> }): Promise<string | number> {
  const res = await ctx.get("/api/me", { failOnStatusCode: false });
  return res.status() === 200 ? ((await res.json()) as { user: { role: string } }).user.role : res.status();
}

test("a copied session cookie stops working after sign-out; sign-in and sign-out are audited with IP and user agent", async ({ browser }) => {
  const s = await signedIn(browser, "viewer");
  expect(await roleOf(s.copy)).toBe("viewer");
  await s.page.getByRole("button", { name: "Sign out" }).click();
  await expect(s.page).toHaveURL(/\/signin\?signedOut=1/);

  await expectErrorJson(await send(s.copy, "GET", "/api/me"), 401, "copied cookie after sign-out");
  // Nor does it renew itself: the session endpoint answers as for a stranger.
  expect(await (await send(s.copy, "GET", "/api/auth/session")).json()).toEqual({});
  const page = await send(s.copy, "GET", "/endpoints");
  expect([302, 303, 307, 308]).toContain(page.status());
  expect(new URL(page.headers()["location"] ?? "", APP_ORIGIN).pathname).toBe("/signin");

  const rows = await dbQuery<{ action: string; ip: string | null; user_agent: string | null }>(
    "SELECT action, ip, user_agent FROM audit_events WHERE actor_email = $1 AND action IN ('auth.login', 'auth.logout') ORDER BY id DESC LIMIT 2",
    [USERS.viewer.email],
  );
  expect(rows.map((r) => r.action).sort()).toEqual(["auth.login", "auth.logout"]);
  for (const r of rows) {
    expect(r.ip, `${r.action} ip`).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(r.user_agent, `${r.action} user agent`).toMatch(/Mozilla|Chrome/);
  }
  await s.close();
});

test("an admin signs a person out everywhere from Settings: every browser of theirs is signed out, and it is audited", async ({ browser }) => {
  const a = await signedIn(browser, "viewer");
  const b = await signedIn(browser, "viewer");
  const admin = await browser.newContext({ storageState: authFile("admin") });
  const page = await admin.newPage();
  await page.goto("/settings");
  const person = page.getByTestId("session-user").filter({ has: page.getByText(USERS.viewer.email, { exact: true }) });
  await expect(person).toContainText(/\d+ sessions?/);
  await person.getByRole("button", { name: `Sign out ${USERS.viewer.email} everywhere` }).click();
  await person.getByRole("button", { name: `Confirm signing out ${USERS.viewer.email} everywhere` }).click();
  await expect(page.getByTestId("session-user").filter({ has: page.getByText(USERS.viewer.email, { exact: true }) })).toHaveCount(0);

  for (const s of [a, b]) await expectErrorJson(await send(s.copy, "GET", "/api/me"), 401, "a session signed out everywhere");
  await a.page.goto("/endpoints");
  await expect(a.page).toHaveURL(/\/signin/);
  const [row] = await dbQuery<{ actor_email: string; details: { revoked: number } }>("SELECT actor_email, details FROM audit_events WHERE action = 'auth.sessions_revoke' ORDER BY id DESC LIMIT 1");
  expect(row.actor_email).toBe(USERS.admin.email);
  expect(row.details.revoked).toBeGreaterThanOrEqual(3); // a, b and the suite's own viewer session

  // The suite's stored viewer session went too: sign in again for the specs after this one.
  const again = await browser.newContext();
  await signIn(await again.newPage(), "viewer");
  await again.storageState({ path: authFile("viewer") });
  await Promise.all([a.close(), b.close(), admin.close(), again.close()]);
});

test("removing rui from the on-call group at the IdP drops his responder role within the refresh period", async ({ browser }) => {
  const s = await signedIn(browser, "responder");
  expect(await roleOf(s.copy)).toBe("responder");
  try {
    await setIdpGroups(USERS.responder.email, ["engineering"]);
    await expect.poll(() => roleOf(s.copy), { timeout: 30_000, intervals: [1000] }).toBe("viewer");
    await expectErrorJson(await send(s.copy, "POST", "/api/sync"), 403, "a responder's write after the role was taken away");
    await s.page.goto("/endpoints");
    await expect(s.page.getByTestId("user-role")).toHaveText("viewer");
    const [change] = await dbQuery<{ details: { from: string; to: string } }>("SELECT details FROM audit_events WHERE action = 'auth.role_change' ORDER BY id DESC LIMIT 1");
    expect(change.details).toMatchObject({ from: "responder", to: "viewer" });
  } finally {
    await setIdpGroups(USERS.responder.email, ["oncall", "engineering"]);
  }
  await expect.poll(() => roleOf(s.copy), { timeout: 30_000, intervals: [1000] }).toBe("responder");
  await s.close();
});

test("a session ends at its absolute maximum lifetime, however recently it was used", async ({ browser }) => {
  const s = await signedIn(browser, "admin");
  expect(await roleOf(s.copy)).toBe("admin");
  // Age the newest session of the admin past its end (what SESSION_ABSOLUTE_MAX_SECONDS sets at sign-in).
  await dbQuery("UPDATE sessions SET expires = now() - interval '1 second' WHERE id = (SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 ORDER BY s.created_at DESC LIMIT 1)", [USERS.admin.email]);
  await expectErrorJson(await send(s.copy, "GET", "/api/me"), 401, "a session past its maximum lifetime");
  expect(await (await send(s.copy, "GET", "/api/auth/session")).json()).toEqual({});
  await s.close();
});
