import { chromium } from "@playwright/test";
const [,, base = "http://localhost:3000", email = "ada@acme.test", ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--disable-quic","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync"] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: process.env.DARK ? "dark" : "light" });
const page = await ctx.newPage();
await page.goto(`${base}/signin`);
await page.getByRole("button", { name: /continue with/i }).click();
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password").fill("touchline-demo");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => u.port === new URL(base).port && !u.pathname.startsWith("/signin") && !u.pathname.startsWith("/api/auth"));
for (const p of paths) {
  await page.goto(`${base}${p}`);
  await page.waitForLoadState("networkidle");
  const name = `/tmp/shots/${p.replace(/[^a-z0-9]+/gi, "_")}${process.env.DARK ? "_dark" : ""}.png`;
  await page.screenshot({ path: name, fullPage: true });
  console.log(name);
}
await browser.close();
