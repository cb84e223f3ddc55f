import { defineConfig } from "@playwright/test";

const APP_URL = "http://localhost:4000";

// Debian's Chromium: Playwright cannot download its own browsers on our machines.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: APP_URL,
    launchOptions: chromium,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "e2e", testMatch: /.*\.spec\.ts/, testIgnore: /e2e\/loop\//, dependencies: ["setup"] },
    // Leaves a live flood's spike on GET /orders behind: after every other spec. Alone: --project loop --no-deps.
    { name: "loop", testMatch: /e2e\/loop\/.*\.spec\.ts/, dependencies: ["e2e"] },
  ],
  webServer: {
    command: "node node_modules/tsx/dist/cli.mjs scripts/e2e-stack.ts",
    url: `${APP_URL}/api/health`,
    // The build, the seeded world and the first sync: ~3 min on a quiet 2-core machine, 3× that when shared.
    timeout: 900_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
