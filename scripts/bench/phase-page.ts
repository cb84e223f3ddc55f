/**
 * Page weight and speed of the endpoint page (/endpoints/[id]): first-load JavaScript (gzip) from
 * a production build in its own dist folder (.next-bench, so a running demo's .next is never
 * replaced), and Largest Contentful Paint with Lighthouse against a signed-in stack serving that build
 * (page-lcp.ts).
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
  const lcpFigure = { id: "page.lcp", label: "Endpoint page LCP (Lighthouse desktop, median of 3)", unit: "ms", compare: "value", target: { op: "<=", bound: 1500 } } as const;
  if (!lighthouseInstalled()) {
    figures.push(figure({ ...lcpFigure, value: null, reason: "not measured: the lighthouse package is not installed" }));
  } else if (!existsSync(`${BENCH_DIST_DIR}/build-manifest.json`)) {
    figures.push(figure({ ...lcpFigure, value: null, reason: `not measured: no ${BENCH_DIST_DIR} build to serve` }));
  } else {
    try {
      // Loaded only here: Lighthouse is heavy, and the other phases (and the smoke test) never need it.
      const { measureLcp, LCP_RUNS } = await import("./page-lcp");
      log(`  LCP: starting the bench stack and running Lighthouse ${LCP_RUNS}×…`);
      const lcp = await measureLcp(log);
      log(`  LCP of /endpoints/[id]: median ${lcp.medianMs.toFixed(0)} ms over ${lcp.runsMs.map((v) => v.toFixed(0)).join(", ")} ms`);
      figures.push(figure({ ...lcpFigure, value: lcp.medianMs }));
      notes.push(`LCP of /endpoints/<GET /orders> on the demo world (stack mode "bench", ${BENCH_DIST_DIR} build, signed in as a responder, one warm-up visit): Lighthouse desktop preset with throttlingMethod "provided" (no simulated network/CPU slowdown; loopback on this machine), runs ${lcp.runsMs.map((v) => v.toFixed(0)).join(" / ")} ms, median ${lcp.medianMs.toFixed(0)} ms; document server response ${lcp.serverResponseMs?.toFixed(0) ?? "?"} ms; LCP element ${lcp.element ?? "unknown"}.`);
    } catch (err) {
      figures.push(figure({ ...lcpFigure, value: null, reason: String(err).slice(0, 300) }));
    }
  }
  return { figures, notes };
}
