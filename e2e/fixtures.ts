import { expect, test as base, type Page } from "@playwright/test";

export const PASSWORD = "touchline-demo";
export const USERS = {
  admin: { email: "ada@acme.test", name: "Ada Admin", role: "admin" },
  responder: { email: "rui@acme.test", name: "Rui Responder", role: "responder" },
  viewer: { email: "vera@acme.test", name: "Vera Viewer", role: "viewer" },
} as const;
export type RoleName = keyof typeof USERS;

export const authFile = (role: RoleName) => `e2e/.auth/${role}.json`;

/** Signs in through the real IdP: the app's sign-in page, the IdP's login form, back to `returnTo`. */
export async function signIn(page: Page, role: RoleName, returnTo = "/endpoints"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: /continue with/i }).click();
  await page.getByLabel("Email").fill(USERS[role].email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.port === "4000" && !url.pathname.startsWith("/signin") && !url.pathname.startsWith("/api/auth"));
}

/** A test whose page is already signed in as `role` (storage state from auth.setup.ts). */
export function asRole(role: RoleName) {
  const t = base.extend({});
  t.use({ storageState: authFile(role) });
  return t;
}

export { expect, base as test };
