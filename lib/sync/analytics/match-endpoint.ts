/**
 * Maps a concrete request (API, method, path) to one of Touchline's endpoint templates, e.g.
 * GET /orders/8812 under API `orders` → GET /orders/{id}. Pure; no I/O.
 */

export interface EndpointTemplate {
  id: string;
  apiId: string;
  method: string;
  /** Full template including the listen path, e.g. /orders/{id}. */
  path: string;
}

type Segment = { kind: "literal"; text: string } | { kind: "param" } | { kind: "rest" };

interface Compiled {
  id: string;
  segments: Segment[];
}

function splitPath(p: string): string[] {
  const noQuery = p.split("?")[0] ?? "";
  return noQuery.split("/").filter((s) => s !== "");
}

// `{id}` and `:id` name one segment (Tyk accepts both spellings in extended_paths); a trailing
// `*` or `{rest...}`-style wildcard takes the remainder.
export function parseTemplate(template: string): Segment[] {
  return splitPath(template).map((s): Segment => {
    if (s === "*" || /^\{[^}]*\*\}$/.test(s)) return { kind: "rest" };
    if (/^\{[^}]+\}$/.test(s) || /^:[^/]+$/.test(s)) return { kind: "param" };
    return { kind: "literal", text: s };
  });
}

function matches(segments: Segment[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.kind === "rest") return parts.length >= i;
    const part = parts[i];
    if (part === undefined) return false;
    if (seg.kind === "literal" && seg.text !== part) return false;
  }
  return parts.length === segments.length;
}

// Higher sorts first: a literal beats a parameter at the first segment where two templates differ,
// a parameter beats a wildcard, and a longer template beats its prefix wildcard.
function compareSpecificity(a: Segment[], b: Segment[]): number {
  const rank = (s: Segment | undefined) => (s === undefined ? -1 : s.kind === "literal" ? 2 : s.kind === "param" ? 1 : 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = rank(b[i]) - rank(a[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/** The request path as the template would spell it: with the API's listen path in front. */
export function withListenPath(path: string, listenPath: string | null | undefined): string {
  const lp = "/" + splitPath(listenPath ?? "").join("/");
  const p = path.startsWith("/") ? path : `/${path}`;
  if (lp === "/") return p;
  if (p === lp || p.startsWith(`${lp}/`)) return p;
  // Tyk records the path after stripping the listen path when strip_listen_path is on.
  return p === "/" ? lp : `${lp}${p}`;
}

export interface EndpointMatcher {
  /** Endpoint id for the request, or null when no template of that API and method fits. */
  match(apiId: string, method: string, path: string, listenPath?: string | null): string | null;
}

/** Indexes templates by (API, method), most specific first, for repeated matching. */
export function compileEndpoints(endpoints: EndpointTemplate[]): EndpointMatcher {
  const byKey = new Map<string, Compiled[]>();
  for (const e of endpoints) {
    const key = `${e.apiId}\u0000${e.method.toUpperCase()}`;
    const list = byKey.get(key) ?? [];
    list.push({ id: e.id, segments: parseTemplate(e.path) });
    byKey.set(key, list);
  }
  for (const list of byKey.values()) list.sort((a, b) => compareSpecificity(a.segments, b.segments));

  return {
    match(apiId, method, path, listenPath) {
      const list = byKey.get(`${apiId}\u0000${method.toUpperCase()}`);
      if (!list) return null;
      const candidates = listenPath ? [path, withListenPath(path, listenPath)] : [path];
      for (const candidate of candidates) {
        const parts = splitPath(candidate);
        const hit = list.find((c) => matches(c.segments, parts));
        if (hit) return hit.id;
      }
      return null;
    },
  };
}

/** One-off form of {@link compileEndpoints}. */
export function matchEndpoint(
  endpoints: EndpointTemplate[],
  req: { apiId: string; method: string; path: string; listenPath?: string | null },
): string | null {
  return compileEndpoints(endpoints).match(req.apiId, req.method, req.path, req.listenPath);
}
