/**
 * Page weight and speed of the endpoint page (/endpoints/[id]): first-load JavaScript (gzip) from
 * a production build in its own dist folder (.next-bench, so a running demo's .next is never
 * replaced), and Largest Contentful Paint with Lighthouse when it is installed.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { routeFirstLoad } from "./page-weight";
import { figure, type Figure } from "./results";

export const BENCH_DIST_DIR = ".next-bench";
const ROUTE = "/(console)/endpoints/[id]";

function nextBuild(distDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      env: {
        ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1",
        NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? "http://localhost:5000",
        NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-build-only-secret-not-used-at-run-time",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (${code}): ${out.slice(-2000)}`))));
  });
}

function lighthouseInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("lighthouse");
    return true;
  } catch {
    return false;
  }
}

export async function measurePage(log: (s: string) => void, opts: { build?: boolean } = {}): Promise<{ figures: Figure[]; notes: string[] }> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  try {
    if (opts.build !== false || !existsSync(`${BENCH_DIST_DIR}/build-manifest.json`)) {
      const t = performance.now();
      await nextBuild(BENCH_DIST_DIR);
      log(`  next build (${BENCH_DIST_DIR}): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const weight = await routeFirstLoad(BENCH_DIST_DIR, ROUTE);
    log(`  first-load JS of /endpoints/[id]: ${(weight.gzipBytes / 1024).toFixed(1)} KB gzip in ${weight.files.length} chunks`);
    figures.push(figure({
      id: "page.first_load_js", label: "Endpoint page first-load JavaScript (gzip)",
      value: weight.gzipBytes / 1024, unit: "KB", compare: "value", target: { op: "<=", bound: 250 },
    }));
    notes.push(`First-load JS of /endpoints/[id] = root main files + the chunks of its layouts, page and boundaries (${weight.files.length} files), gzip -9 as a server would serve them.`);
  } catch (err) {
    figures.push(figure({ id: "page.first_load_js", label: "Endpoint page first-load JavaScript (gzip)", value: null, unit: "KB", compare: "value", target: { op: "<=", bound: 250 }, reason: String(err).slice(0, 300) }));
  }
  // LCP needs Lighthouse driving Debian's Chromium against a signed-in demo stack; not wired yet.
  figures.push(figure({
    id: "page.lcp", label: "Endpoint page LCP (Lighthouse, demo data)", value: null, unit: "ms", compare: "value",
    target: { op: "<=", bound: 1500 },
    reason: lighthouseInstalled() ? "Lighthouse run not implemented yet" : "not measured: the lighthouse package is not installed and the Lighthouse run is not implemented yet",
  }));
  return { figures, notes };
}
