// Pure rules for the read-only Tyk passthrough (/api/tyk/...): which Dashboard paths a console user
// may read through the server-held key, which query parameters go along, and which response fields
// must never reach a browser.

export interface ProxyTarget {
  /** Dashboard path, always starting with /api/. */
  path: string;
  /** Only the allowlisted parameters, sorted (so the cache key is canonical). */
  query: [string, string][];
}

const ID = "[A-Za-z0-9._:-]{1,128}";
const ROUTES: { pattern: RegExp; params: string[] }[] = [
  { pattern: /^apis$/, params: ["p", "q", "sort"] },
  { pattern: new RegExp(`^apis/${ID}$`), params: [] },
  { pattern: /^portal\/policies$/, params: ["p", "q", "sort"] },
  { pattern: new RegExp(`^portal/policies/${ID}$`), params: [] },
  { pattern: /^keys\/detailed$/, params: ["p", "q"] },
  { pattern: /^users$/, params: ["p"] },
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
  return { path: `/api/${rel}`, query };
}

export function proxyCacheKey(t: ProxyTarget): string {
  return `${t.path}?${new URLSearchParams(t.query).toString()}`;
}

// Fields that hold a credential in Dashboard responses: a key's own id (the raw key when hash_keys
// is off), a Dashboard user's API key, OAuth/HMAC/JWT/basic-auth secrets.
const DROP = new Set(["access_key", "secret", "client_secret", "hmac_string", "password", "oauth_keys", "jwt_data", "basic_auth_data", "api_key"]);
const MASK = new Set(["key_id", "key"]);
export const REDACTED = "[redacted]";

function mask(v: unknown): unknown {
  return typeof v === "string" && v.length > 0 ? `••••${v.slice(-4)}` : v;
}

/** A deep copy of `body` with credential fields replaced: key ids masked to their last 4, secrets redacted. */
export function redactTykResponse(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactTykResponse);
  if (body === null || typeof body !== "object") return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (DROP.has(k)) out[k] = v === null || v === undefined || v === "" ? v : REDACTED;
    else if (MASK.has(k)) out[k] = mask(v);
    else out[k] = redactTykResponse(v);
  }
  return out;
}
