/**
 * Largest Contentful Paint of the endpoint page, measured by Lighthouse against a real signed-in
 * stack (scripts/stack, mode "bench": its own ports and the .next-bench build). Playwright drives
 * Debian's Chromium through the IdP sign-in and finds GET /orders; Lighthouse then attaches to the
 * same Chromium through its remote debugging port and loads /endpoints/<id> with the session cookie.
 */
import { chromium, type Browser } from "playwright-core";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { BENCH_PORTS, DEMO_PASSWORD, startStack } from "@/scripts/stack/stack";
import { median } from "./results";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// The flags of playwright.config.ts (Debian's Chromium, no sandbox in containers, no background noise).
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const DEBUG_PORT = 5400;
const RESPONDER = "rui@acme.test";
export const LCP_RUNS = 3;

export interface LcpResult {
  runsMs: number[];
  medianMs: number;
  /** The element Lighthouse saw as largest, from the median run. */
  element: string | null;
  /** Server response time of the document (TTFB) in the median run. */
  serverResponseMs: number | null;
}

/** Signs in as the responder through the local IdP; returns the endpoint page URL and the app's Cookie header. */
async function signInAndFindPage(browser: Browser, appUrl: string): Promise<{ url: string; cookie: string }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const appPort = new URL(appUrl).port;
    await page.goto(`${appUrl}/signin?callbackUrl=${encodeURIComponent("/endpoints")}`);
    await page.getByRole("button", { name: /continue with/i }).click();
    await page.getByLabel("Email").fill(RESPONDER);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.port === appPort && !u.pathname.startsWith("/signin") && !u.pathname.startsWith("/api/auth"));
    if (!page.url().includes("/endpoints")) await page.goto(`${appUrl}/endpoints`);
    const link = page.locator('[data-testid="endpoint-row"][data-endpoint="GET /orders"]').getByRole("link").first();
    const href = await link.getAttribute("href", { timeout: 60_000 });
    if (!href || !/^\/endpoints\/[^/?]+$/.test(href)) throw new Error(`GET /orders has no endpoint link (href ${href})`);
    const url = new URL(href, appUrl).toString();
    // One signed-in visit first, so the runs measure a page whose server-side caches are as a returning user finds them.
    await page.goto(url);
    await page.getByRole("heading", { level: 1, name: "GET /orders" }).waitFor({ timeout: 120_000 });
    const cookies = await context.cookies(appUrl);
    if (!cookies.some((c) => c.name.includes("next-auth.session-token"))) throw new Error("no session cookie after sign-in");
    return { url, cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") };
  } finally {
    await context.close();
  }
}

async function lighthouseLcp(url: string, cookie: string): Promise<{ lcp: number; element: string | null; ttfb: number | null }> {
  // Desktop preset with throttling "provided": no simulated network or CPU slowdown, so the figure
  // is what this machine observes over loopback — the server's time to render the page dominates it.
  const result = await lighthouse(url, {
    port: DEBUG_PORT, output: "json", logLevel: "error", onlyCategories: ["performance"],
    throttlingMethod: "provided", extraHeaders: { Cookie: cookie },
  }, desktopConfig);
  const lhr = result?.lhr;
  if (!lhr) throw new Error("Lighthouse returned no result");
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  if (lhr.finalDisplayedUrl !== url) throw new Error(`Lighthouse ended at ${lhr.finalDisplayedUrl}, not the endpoint page (signed out?)`);
  const lcp = lhr.audits["largest-contentful-paint"]?.numericValue;
  if (lcp == null || !Number.isFinite(lcp)) throw new Error(`no LCP: ${lhr.audits["largest-contentful-paint"]?.errorMessage ?? "unknown"}`);
  const details = lhr.audits["largest-contentful-paint-element"]?.details as { items?: { items?: { node?: { snippet?: string } }[] }[] } | undefined;
  const element = details?.items?.[0]?.items?.[0]?.node?.snippet ?? null;
  const ttfb = lhr.audits["server-response-time"]?.numericValue ?? null;
  return { lcp, element, ttfb };
}

/** Starts the bench stack (build already in .next-bench), measures `LCP_RUNS` Lighthouse runs, stops everything. */
export async function measureLcp(log: (s: string) => void): Promise<LcpResult> {
  const stack = await startStack({ mode: "bench", ports: BENCH_PORTS, build: false, log: (l) => log(`    ${l}`) });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH, headless: true,
      args: [...CHROMIUM_ARGS, `--remote-debugging-port=${DEBUG_PORT}`],
    });
    const { url, cookie } = await signInAndFindPage(browser, stack.appUrl);
    const runs: { lcp: number; element: string | null; ttfb: number | null }[] = [];
    for (let i = 0; i < LCP_RUNS; i++) {
      const r = await lighthouseLcp(url, cookie);
      log(`  Lighthouse run ${i + 1}: LCP ${r.lcp.toFixed(0)} ms (server response ${r.ttfb?.toFixed(0) ?? "?"} ms)`);
      runs.push(r);
    }
    const medianMs = median(runs.map((r) => r.lcp));
    const mid = runs.find((r) => r.lcp === medianMs) ?? runs[0];
    return { runsMs: runs.map((r) => r.lcp), medianMs, element: mid.element, serverResponseMs: mid.ttfb };
  } finally {
    await browser?.close();
    await stack.stop();
  }
}
