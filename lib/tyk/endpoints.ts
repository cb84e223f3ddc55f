import type { TykApiDefinitionWrapper } from "./schema";

// What counts as an endpoint of an API (Tyk has no endpoint list of its own):
// - Classic APIs: every entry under `version_data.versions.<v>.extended_paths.<list>` that has a
//   string `path` — white_list, black_list, ignored (`method_actions` keys are the methods),
//   track_endpoints, do_not_track_endpoints, hard_timeouts, rate_limit, url_rewrites, transform*,
//   virtual, mock_response, validate_json, … (`method`). Lists of bare strings (`cache`) carry no
//   method and are skipped. An entry with neither `method` nor `method_actions` is skipped.
// - Tyk OAS APIs: every (path, verb) of the OpenAPI document's `paths`.
// The stored path is listen path + template as written ("/orders/" + "/{id}" → "/orders/{id}");
// duplicates are collapsed on the normalised template (see normalizeTemplate).

export interface DerivedEndpoint {
  method: string;
  /** Full path template incl. listen path, as written in the definition. */
  path: string;
}

const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT"]);

/**
 * `{id}`, `{orderId}` and `:id` all name one path parameter: map each to `{param}` so two spellings
 * of one route match. Also collapses repeated slashes and drops a trailing slash (but keeps "/").
 */
export function normalizeTemplate(path: string): string {
  let p = path.replace(/\/{2,}/g, "/");
  p = p.replace(/\{[^/{}]+\}/g, "{param}").replace(/(^|\/):[A-Za-z_][A-Za-z0-9_]*/g, "$1{param}");
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p.startsWith("/") ? p : `/${p}`;
}

/** Listen path + a path relative to it. "/orders/" + "/" → "/orders"; "/orders/" + "/{id}" → "/orders/{id}". */
export function joinListenPath(listenPath: string, path: string): string {
  const base = `/${listenPath}`.replace(/\/{2,}/g, "/").replace(/\/+$/, "");
  const rest = path.replace(/^\/+/, "").replace(/\/+$/, "");
  const joined = rest ? `${base}/${rest}` : base;
  return joined || "/";
}

/** Operation name a trace backend uses for an endpoint, e.g. "GET /orders/{id}". */
export function operationName(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

function methodsOf(entry: Record<string, unknown>): string[] {
  if (typeof entry.method === "string" && entry.method.trim()) return [entry.method.trim().toUpperCase()];
  const actions = entry.method_actions;
  if (actions && typeof actions === "object") return Object.keys(actions).map((m) => m.toUpperCase());
  return [];
}

export function deriveEndpoints(wrapper: TykApiDefinitionWrapper): DerivedEndpoint[] {
  const def = wrapper.api_definition;
  const listen = def.proxy.listen_path;
  const seen = new Map<string, DerivedEndpoint>();
  const add = (method: string, rel: string) => {
    if (!HTTP_METHODS.has(method)) return;
    const path = joinListenPath(listen, rel);
    const key = `${method} ${normalizeTemplate(path)}`;
    if (!seen.has(key)) seen.set(key, { method, path });
  };
  for (const version of Object.values(def.version_data?.versions ?? {})) {
    for (const entries of Object.values(version.extended_paths ?? {})) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries) {
        if (!e || typeof e !== "object") continue;
        const entry = e as Record<string, unknown>;
        if (typeof entry.path !== "string") continue;
        for (const m of methodsOf(entry)) add(m, entry.path);
      }
    }
  }
  for (const [path, item] of Object.entries(wrapper.oas?.paths ?? {})) {
    for (const verb of Object.keys(item ?? {})) add(verb.toUpperCase(), path);
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
