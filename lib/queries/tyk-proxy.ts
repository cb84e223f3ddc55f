// Pure rules for the read-only Tyk passthrough (/api/tyk/...): which Dashboard paths a console user
// may read through the server-held key, which query parameters go along, and which response fields
// come back. Fields are allowlisted per route (the Dashboard's own names and nesting, cut down to
// what a reader of APIs, policies and keys needs): a definition's upstream URL, auth secrets,
// custom headers, notification secrets or config_data, a key's auth data, and every field Tyk adds
// in a later version stay on the server. Dashboard users are not served at all.

export interface ProxyTarget {
  /** Dashboard path, always starting with /api/. */
  path: string;
  /** Only the allowlisted parameters, sorted (so the cache key is canonical). */
  query: [string, string][];
  /** The fields of the answer that are passed on. */
  shape: Shape;
}

/**
 * What to keep of a JSON value: `true` keeps a scalar (objects and arrays in its place are
 * dropped), `"mask"` keeps only the last four characters of a string, an object keeps the named
 * fields with their own shapes, `{ "*": shape }` keeps every entry of a map. Arrays take the shape
 * of their elements.
 */
export type Shape = true | "mask" | { [field: string]: Shape };

const ACCESS_RIGHT: Shape = { api_id: true, api_name: true, versions: true };
const API: Shape = {
  api_definition: { api_id: true, name: true, slug: true, active: true, tags: true, proxy: { listen_path: true } },
  created_at: true,
  updated_at: true,
};
const POLICY: Shape = {
  _id: true, id: true, name: true, active: true, is_inactive: true, tags: true, last_updated: true,
  rate: true, per: true, quota_max: true, quota_renewal_rate: true, throttle_interval: true, throttle_retry_limit: true,
  access_rights: { "*": ACCESS_RIGHT },
};
const KEY: Shape = {
  key_id: "mask",
  key_hash: true,
  data: {
    alias: true, apply_policies: true, is_inactive: true, expires: true, last_updated: true, tags: true, oauth_client_id: true,
    rate: true, per: true, quota_max: true, access_rights: { "*": ACCESS_RIGHT },
  },
};
// A page envelope's counters.
const PAGES: Shape = true;

const ID = "[A-Za-z0-9._:-]{1,128}";
const ROUTES: { pattern: RegExp; params: string[]; shape: Shape }[] = [
  { pattern: /^apis$/, params: ["p", "q", "sort"], shape: { apis: API, pages: PAGES } },
  { pattern: new RegExp(`^apis/${ID}$`), params: [], shape: API },
  { pattern: /^portal\/policies$/, params: ["p", "q", "sort"], shape: { Data: POLICY, Pages: PAGES } },
  { pattern: new RegExp(`^portal/policies/${ID}$`), params: [], shape: POLICY },
  { pattern: /^keys\/detailed$/, params: ["p", "q"], shape: { keys: KEY, pages: PAGES } },
];

/**
 * `segments` are the path after /api/tyk/ (e.g. ["portal", "policies"]). Returns the Dashboard
 * request to make, or null when the path is not allowlisted (→ 404). Only GET is ever allowed.
 */
export function matchTykProxy(method: string, segments: string[], search: URLSearchParams): ProxyTarget | null {
  if (method.toUpperCase() !== "GET") return null;
  if (!segments.length || segments.some((s) => s === "" || s === "." || s === ".." || s.includes("/"))) return null;
  const rel = segments.join("/");
  const route = ROUTES.find((r) => r.pattern.test(rel));
  if (!route) return null;
  const query: [string, string][] = [];
  for (const name of route.params) {
    const v = search.get(name);
    if (v !== null && v.length <= 200) query.push([name, v]);
  }
  query.sort(([a], [b]) => a.localeCompare(b));
  return { path: `/api/${rel}`, query, shape: route.shape };
}

export function proxyCacheKey(t: ProxyTarget): string {
  return `${t.path}?${new URLSearchParams(t.query).toString()}`;
}

function mask(v: unknown): unknown {
  return typeof v === "string" && v.length > 0 ? `••••${v.slice(-4)}` : v;
}

/** A new value holding only what `shape` names of `value`; anything else, at any depth, is left out. */
export function pickTykFields(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) return value.map((v) => pickTykFields(v, shape));
  if (shape === true) return value === null || typeof value !== "object" ? value : undefined;
  if (shape === "mask") return mask(value);
  if (value === null || typeof value !== "object") return undefined;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const each = shape["*"];
  for (const [k, v] of Object.entries(src)) {
    if (k === "__proto__") continue;
    const sub = each ?? (Object.hasOwn(shape, k) ? shape[k] : undefined);
    if (sub === undefined) continue;
    const picked = pickTykFields(v, sub);
    if (picked !== undefined) out[k] = picked;
  }
  return out;
}
