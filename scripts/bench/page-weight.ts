/**
 * First-load JavaScript of one App Router route, from a finished `next build` (Turbopack): the
 * root main files every page loads, plus the client chunks of the route's layouts, page and
 * boundaries (the route's client-reference manifest lists them). Sizes are gzip, as served.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface RouteWeight {
  files: { file: string; gzipBytes: number }[];
  gzipBytes: number;
}

/** The `entryJSFiles` map of a route's page_client-reference-manifest.js. */
export function entryFilesOf(manifestJs: string): Record<string, string[]> {
  const m = manifestJs.match(/"entryJSFiles":(\{[^}]*\})/);
  if (!m) throw new Error("no entryJSFiles in the client reference manifest");
  return JSON.parse(m[1]) as Record<string, string[]>;
}

/**
 * The chunks a first visit to `route` (e.g. "/(console)/endpoints/[id]") loads: root main files and
 * the entries of every segment on the way down (root layout, group layouts, the route's own page,
 * loading, error and not-found boundaries). Polyfills are nomodule-only and not counted.
 */
export function firstLoadFiles(rootMainFiles: string[], entries: Record<string, string[]>, route: string): string[] {
  const segments = route.split("/").filter(Boolean);
  const prefixes = ["[project]/app/layout"];
  for (let i = 1; i <= segments.length; i++) prefixes.push(`[project]/app/${segments.slice(0, i).join("/")}/layout`);
  const own = `[project]/app/${segments.join("/")}/`;
  const files = new Set(rootMainFiles);
  for (const [entry, chunks] of Object.entries(entries)) {
    if (prefixes.includes(entry) || entry.startsWith(own)) for (const c of chunks) files.add(c);
  }
  return [...files];
}

export async function routeFirstLoad(distDir: string, route: string): Promise<RouteWeight> {
  const buildManifest = JSON.parse(await readFile(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const manifestPath = path.join(distDir, "server", "app", ...route.split("/").filter(Boolean), "page_client-reference-manifest.js");
  if (!existsSync(manifestPath)) throw new Error(`route ${route} not in the build at ${distDir}`);
  const entries = entryFilesOf(await readFile(manifestPath, "utf8"));
  const files = [];
  for (const file of firstLoadFiles(buildManifest.rootMainFiles, entries, route)) {
    files.push({ file, gzipBytes: gzipSync(await readFile(path.join(distDir, file))).length });
  }
  return { files, gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0) };
}
