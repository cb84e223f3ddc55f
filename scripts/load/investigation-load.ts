// `npm run load [-- --url http://localhost:3000 --connections 50 --seconds 30]`: a bounded load test
// on loopback against GET /api/endpoints/{id}/investigation for the seeded spike endpoint
// (GET /orders), signed in once through the real IdP. Reports throughput, errors and p50/p95/p99;
// exits 1 if any request failed. A benchmark, not a test: figures go to bench/out/load-investigation.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";

interface Instance {
  on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: "done", fn: (result: { requests: { total: number; average: number }; errors: number; timeouts: number; non2xx: number; duration: number }) => void): void;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: Record<string, unknown>) => Instance;

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: process.env.LOAD_URL ?? "http://localhost:3000" },
    connections: { type: "string", default: "50" },
    seconds: { type: "string", default: "30" },
    email: { type: "string", default: "rui@acme.test" },
    password: { type: "string", default: "touchline-demo" },
  },
});

/** Signs in through the IdP once and returns the Cookie header for the console. */
async function signIn(base: string): Promise<string> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  try {
    const page = await browser.newPage({ baseURL: base });
    await page.goto("/signin?callbackUrl=%2Fendpoints");
    await page.getByRole("button", { name: /continue with/i }).click();
    await page.getByLabel("Email").fill(args.email!);
    await page.getByLabel("Password").fill(args.password!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.origin === new URL(base).origin && !u.pathname.startsWith("/signin") && !u.pathname.startsWith("/api/auth"));
    const cookies = await page.context().cookies(base);
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const base = args.url!.replace(/\/$/, "");
  const cookie = await signIn(base);
  const found = await fetch(`${base}/api/endpoints?q=${encodeURIComponent("GET /orders")}&limit=5`, { headers: { cookie } });
  if (!found.ok) throw new Error(`endpoint lookup answered ${found.status}`);
  const { endpoints } = (await found.json()) as { endpoints: { id: string }[] };
  if (!endpoints.length) throw new Error("no GET /orders endpoint in this stack's data (is it the demo world?)");
  const target = `${base}/api/endpoints/${encodeURIComponent(endpoints[0].id)}/investigation`;
  const warm = await fetch(target, { headers: { cookie } });
  if (!warm.ok) throw new Error(`investigation answered ${warm.status} before the load started`);

  const times: number[] = [];
  const statuses: Record<number, number> = {};
  const connections = Number(args.connections);
  const seconds = Number(args.seconds);
  console.log(`load: ${connections} clients for ${seconds} s against ${target}`);
  const result = await new Promise<Parameters<Parameters<Instance["on"]>[1]>[0]>((resolve) => {
    const inst = autocannon({ url: target, connections, duration: seconds, headers: { cookie }, timeout: 30 });
    inst.on("response", (_c, status, _b, ms) => {
      times.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    inst.on("done", resolve as never);
  });
  times.sort((a, b) => a - b);
  const r = result as unknown as { requests: { total: number; average: number }; errors: number; timeouts: number; non2xx: number };
  const summary = {
    at: new Date().toISOString(),
    target: "GET /api/endpoints/{id}/investigation (GET /orders, default window)",
    connections,
    seconds,
    requests: r.requests.total,
    requestsPerSecond: r.requests.average,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statuses,
    latencyMs: { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times.at(-1) ?? NaN },
  };
  const outDir = path.join(ROOT, "bench", "out");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "load-investigation.json"), JSON.stringify(summary, null, 2));
  console.log(JSON.stringify(summary, null, 2));
  if (summary.errors || summary.timeouts || summary.non2xx) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`load failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
