import { test as setup } from "@playwright/test";
import { authFile, signIn, USERS, type RoleName } from "./fixtures";

// One real sign-in per role through the local IdP; the specs reuse the resulting session cookies.
for (const role of Object.keys(USERS) as RoleName[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, role);
    await page.context().storageState({ path: authFile(role) });
  });
}
