import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One exported handler of a route.ts file, as far as its source tells. */
export interface RouteMethod {
  method: HttpMethod;
  /** The permission named in its `apiRoute({ permission })`, or null when it is not wrapped in apiRoute. */
  permission: string | null;
  /** Which inputs the apiRoute options validate (a handler with none has nothing to fuzz). */
  inputs: { params: boolean; query: boolean; body: boolean };
}

export interface DiscoveredRoute {
  kind: "page" | "api";
  /** Source file, relative to the repository root. */
  file: string;
  /** URL pattern with Next's dynamic segments kept, e.g. `/api/endpoints/[id]/investigation`. */
  pattern: string;
  /** Dynamic segment names in order (`[...path]` → `path`). */
  dynamic: { name: string; catchAll: boolean; optional: boolean }[];
  /** Route handlers only. */
  methods: RouteMethod[];
}

/**
 * Reachable without a session by design. Everything else the discovery finds must refuse an
 * anonymous caller; adding to this list is a security decision, so keep it short and explained.
 */
export const PUBLIC_ROUTES: readonly { pattern: string; why: string }[] = [
  { pattern: "/signin", why: "the sign-in page itself" },
  { pattern: "/api/health", why: "load-balancer health check, no data" },
  { pattern: "/api/auth/[...nextauth]", why: "next-auth's OIDC flow (sign-in, callback, sign-out, csrf)" },
];

export function isPublic(pattern: string): boolean {
  return PUBLIC_ROUTES.some((r) => r.pattern === pattern);
}

const SEGMENT = /^\[(\[)?(\.\.\.)?([^\]]+)\]?\]$/;

function urlSegment(dir: string): string | null {
  if (dir.startsWith("(") && dir.endsWith(")")) return null; // route group: not in the URL
  return dir;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    // `_folder` is private in the App Router; `@slot` folders are parallel routes of the same URL.
    if (name.startsWith("_") || name === "node_modules") continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/^(page|route)\.(tsx|ts|jsx|js)$/.test(name)) out.push(full);
  }
}

/** The handlers a route file exports, with the permission each names. Pure text parsing: no import, no side effects. */
export function parseRouteSource(source: string): RouteMethod[] {
  const found = new Map<HttpMethod, RouteMethod>();
  const alt = HTTP_METHODS.join("|");
  for (const m of source.matchAll(new RegExp(`export\\s+const\\s+(${alt})\\s*=\\s*([\\s\\S]*?)(?=export\\s|$)`, "g"))) {
    const method = m[1] as HttpMethod;
    let rhs = m[2];
    // `export const POST = notAvailable;` → the options of `const notAvailable = apiRoute({...})`.
    const alias = rhs.match(/^\s*([A-Za-z_$][\w$]*)\s*;/)?.[1];
    if (alias) rhs = source.match(new RegExp(`(?:const|let)\\s+${alias}\\s*=\\s*(apiRoute\\s*\\([\\s\\S]*)`))?.[1] ?? rhs;
    const wrapped = /^\s*apiRoute\s*\(/.test(rhs);
    const options = wrapped ? (rhs.match(/apiRoute\s*\(\s*\{([^}]*)\}/)?.[1] ?? "") : "";
    found.set(method, {
      method,
      permission: wrapped ? (options.match(/permission\s*:\s*["']([^"']+)["']/)?.[1] ?? null) : null,
      inputs: {
        params: /\bparams\b/.test(options),
        query: /\bquery\b/.test(options),
        body: /\bbody\b/.test(options),
      },
    });
  }
  for (const m of source.matchAll(new RegExp(`export\\s+(?:async\\s+)?function\\s+(${alt})\\b`, "g"))) {
    found.set(m[1] as HttpMethod, { method: m[1] as HttpMethod, permission: null, inputs: { params: false, query: false, body: false } });
  }
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim() as HttpMethod | undefined;
      if (name && (HTTP_METHODS as readonly string[]).includes(name) && !found.has(name)) {
        found.set(name, { method: name, permission: null, inputs: { params: false, query: false, body: false } });
      }
    }
  }
  return [...found.values()];
}

/** Every page and route handler under `appDir`, found from the file tree at call time (never a hand-kept list). */
export function discoverRoutes(repoRoot: string, appDir = "app"): DiscoveredRoute[] {
  const root = path.join(repoRoot, appDir);
  const files: string[] = [];
  walk(root, files);
  return files.sort().map((full) => {
    const rel = path.relative(root, path.dirname(full));
    const parts = rel ? rel.split(path.sep).map(urlSegment).filter((s): s is string => s !== null) : [];
    const dynamic = parts.flatMap((p) => {
      const m = p.match(SEGMENT);
      return m ? [{ name: m[3], catchAll: Boolean(m[2]), optional: Boolean(m[1]) }] : [];
    });
    const isRoute = /route\.[jt]sx?$/.test(full);
    return {
      kind: isRoute ? "api" : "page",
      file: path.relative(repoRoot, full),
      pattern: "/" + parts.join("/"),
      dynamic,
      methods: isRoute ? parseRouteSource(readFileSync(full, "utf8")) : [],
    } satisfies DiscoveredRoute;
  });
}

/** Fills a pattern's dynamic segments; `fill` gets the segment name and returns the raw value (encoded here). */
export function fillPattern(pattern: string, fill: (name: string, catchAll: boolean) => string | string[]): string {
  return pattern
    .split("/")
    .map((seg) => {
      const m = seg.match(SEGMENT);
      if (!m) return seg;
      const v = fill(m[3], Boolean(m[2]));
      return (Array.isArray(v) ? v : [v]).map(encodeURIComponent).join("/");
    })
    .join("/");
}

/**
 * Field names a route validates, read from its zod schemas: the route file and the local modules
 * it imports (one level). Lets the fuzzer aim at real fields without a hand-kept list.
 */
export function schemaFieldNames(repoRoot: string, routeFile: string): string[] {
  const names = new Set<string>();
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  const main = read(path.join(repoRoot, routeFile));
  const sources = [main];
  for (const m of main.matchAll(/from\s+["'](@\/[^"']+|\.{1,2}\/[^"']+)["']/g)) {
    const spec = m[1];
    const base = spec.startsWith("@/") ? path.join(repoRoot, spec.slice(2)) : path.join(repoRoot, path.dirname(routeFile), spec);
    for (const ext of [".ts", ".tsx", "/index.ts"]) {
      if (existsSync(base + ext)) {
        sources.push(read(base + ext));
        break;
      }
    }
  }
  // ALL_CAPS names are configuration variables (a route importing lib/env), not request fields.
  for (const src of sources) for (const m of src.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*:\s*z\s*\./g)) if (!/^[A-Z0-9_]+$/.test(m[1])) names.add(m[1]);
  return [...names].sort();
}
