// PRIVATE screenshot helper for h3b (deleted at the end).
import { chromium } from "@playwright/test";
const base = "http://localhost:3910";
const [, , ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--disable-quic"] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: process.env.DARK ? "dark" : "light", storageState: process.env.STATE && (await import("node:fs")).existsSync(process.env.STATE) ? process.env.STATE : undefined });
const page = await ctx.newPage();
await page.goto(`${base}/signin?callbackUrl=%2Fpolicies`);
if (page.url().includes("/signin")) {
  await page.getByRole("button", { name: /continue with/i }).click();
  await page.getByLabel("Email").fill(process.env.USER_EMAIL ?? "ada@acme.test");
  await page.getByLabel("Password").fill("touchline-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.port === "3910" && !u.pathname.startsWith("/signin") && !u.pathname.startsWith("/api/auth"), { timeout: 120000 });
}
if (process.env.STATE) await ctx.storageState({ path: process.env.STATE });
for (const [i, p] of paths.entries()) {
  const res = await page.goto(base + p, { timeout: 180000 });
  await page.waitForTimeout(Number(process.env.WAIT ?? 500));
  const name = `/tmp/h3b/shots/${i}-${p.replace(/[^a-z0-9]+/gi, "_")}${process.env.DARK ? "-dark" : ""}.png`;
  await page.screenshot({ path: name, fullPage: true });
  console.log(res?.status(), p, name);
}
await browser.close();
