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
  /** The template as one regular expression over the raw path: ingest matches every request, and
   * testing a few expressions allocates nothing, where splitting the path into segments did. */
  pattern: RegExp;
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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

// Same rules as splitting on "/" and dropping empty segments: repeated and trailing slashes are
// ignored, the query string is not part of the path, a parameter is one non-empty segment, a rest
// wildcard takes zero or more segments.
export function templatePattern(segments: Segment[]): RegExp {
  let body = "";
  for (const seg of segments) {
    if (seg.kind === "rest") {
      body += "(?:/[^?]*)?";
      break;
    }
    body += "/+" + (seg.kind === "literal" ? escapeRegExp(seg.text) : "[^/?]+");
  }
  return new RegExp(`^${body}/*(?:\\?.*)?$`);
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

/** Endpoint id for a request path of one (API, method), or null when no template fits. */
export type RouteMatcher = (path: string, listenPath?: string | null) => string | null;

export interface EndpointMatcher {
  /** Endpoint id for the request, or null when no template of that API and method fits. */
  match(apiId: string, method: string, path: string, listenPath?: string | null): string | null;
  /** The templates of one (API, method) as one matcher, or null when there are none: for callers that cache it. */
  route(apiId: string, method: string): RouteMatcher | null;
}

/** Indexes templates by (API, method), most specific first, for repeated matching. */
export function compileEndpoints(endpoints: EndpointTemplate[]): EndpointMatcher {
  const byKey = new Map<string, Compiled[]>();
  for (const e of endpoints) {
    const key = `${e.apiId}\u0000${e.method.toUpperCase()}`;
    const list = byKey.get(key) ?? [];
    const segments = parseTemplate(e.path);
    list.push({ id: e.id, segments, pattern: templatePattern(segments) });
    byKey.set(key, list);
  }
  for (const list of byKey.values()) list.sort((a, b) => compareSpecificity(a.segments, b.segments));

  const routes = new Map<string, RouteMatcher>();
  for (const [key, list] of byKey) {
    routes.set(key, (path, listenPath) => {
      const direct = path.startsWith("/") ? path : `/${path}`;
      for (const c of list) if (c.pattern.test(direct)) return c.id;
      if (!listenPath) return null;
      const full = withListenPath(path, listenPath);
      for (const c of list) if (c.pattern.test(full)) return c.id;
      return null;
    });
  }
  const route = (apiId: string, method: string) => routes.get(`${apiId}\u0000${method.toUpperCase()}`) ?? null;
  return {
    match: (apiId, method, path, listenPath) => route(apiId, method)?.(path, listenPath) ?? null,
    route,
  };
}

/** One-off form of {@link compileEndpoints}. */
export function matchEndpoint(
  endpoints: EndpointTemplate[],
  req: { apiId: string; method: string; path: string; listenPath?: string | null },
): string | null {
  return compileEndpoints(endpoints).match(req.apiId, req.method, req.path, req.listenPath);
}
