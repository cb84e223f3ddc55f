/**
 * Pure rules of the read-only trace passthrough (/api/traces/...): which backend reads a signed-in
 * user may make with the server-held key, with which query parameters, and a per-user rate limit.
 * Anything not listed here is a 404: the passthrough must never become a general proxy.
 */
export type PassQuery = Record<string, string | string[]>;

export interface AllowedCall {
  /** Path under the project base, e.g. /streams/abc/timeseries. */
  path: string;
  query: PassQuery;
}

type Check = (v: string) => boolean;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isTime: Check = (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v));
const int = (min: number, max: number): Check => (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const flag: Check = (v) => v === "0" || v === "1";
const ID = /^[A-Za-z0-9_-]{1,128}$/;

interface Route {
  match: (segments: string[]) => string | null;
  params: Record<string, { check: Check; repeat?: boolean }>;
  required?: string[];
}

const ROUTES: Route[] = [
  {
    match: (s) => (s.length === 1 && s[0] === "services" ? "/directory/services" : null),
    params: { limit: { check: int(1, 500) }, offset: { check: int(0, 100_000) } },
  },
  { match: (s) => (s.length === 1 && s[0] === "streams" ? "/streams" : null), params: {} },
  {
    match: (s) => (s.length === 3 && s[0] === "streams" && ID.test(s[1]) && s[2] === "timeseries" ? `/streams/${s[1]}/timeseries` : null),
    params: {
      "oldest-time": { check: isTime },
      "youngest-time": { check: isTime },
      "resolution-ms": { check: int(60_000, 86_400_000) },
      percentile: { check: (v) => ["50", "90", "95", "99", "99.9"].includes(v), repeat: true },
      "include-exemplars": { check: flag },
      "include-ops-counts": { check: flag },
      "include-error-counts": { check: flag },
    },
    required: ["oldest-time", "youngest-time"],
  },
  {
    match: (s) => (s.length === 1 && s[0] === "stored-traces" ? "/stored-traces" : null),
    params: { "span-id": { check: (v) => ID.test(v) } },
    required: ["span-id"],
  },
];

export type AllowResult = { ok: true; call: AllowedCall } | { ok: false; status: 404 | 400; message: string; field?: string };

/** Decides whether a GET of `segments` with `query` may pass, and with which parameters. */
export function allowTraceCall(method: string, segments: string[], query: PassQuery): AllowResult {
  if (method !== "GET") return { ok: false, status: 404, message: "Not an allowed trace API call" };
  for (const route of ROUTES) {
    const path = route.match(segments);
    if (!path) continue;
    const out: PassQuery = {};
    for (const [name, raw] of Object.entries(query)) {
      const spec = route.params[name];
      if (!spec) return { ok: false, status: 400, message: `${name}: not an allowed parameter here`, field: name };
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length > 1 && !spec.repeat) return { ok: false, status: 400, message: `${name}: give it once`, field: name };
      const bad = values.find((v) => !spec.check(v));
      if (bad !== undefined) return { ok: false, status: 400, message: `${name}: invalid value`, field: name };
      out[name] = spec.repeat ? values : values[0];
    }
    const missing = route.required?.find((r) => !(r in out));
    if (missing) return { ok: false, status: 400, message: `${missing}: required`, field: missing };
    return { ok: true, call: { path, query: out } };
  }
  return { ok: false, status: 404, message: "Not an allowed trace API call" };
}

/** Fixed one-minute windows per user: enough for a page's handful of reads, not for scraping. */
export function createUserRateLimit({ perMinute, now = Date.now }: { perMinute: number; now?: () => number }) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(user: string): { ok: true } | { ok: false; retryAfterMs: number } {
      const t = now();
      const w = windows.get(user);
      if (!w || t - w.start >= 60_000) {
        if (windows.size > 10_000) windows.clear();
        windows.set(user, { start: t, count: 1 });
        return { ok: true };
      }
      if (w.count >= perMinute) return { ok: false, retryAfterMs: w.start + 60_000 - t };
      w.count++;
      return { ok: true };
    },
  };
}

const HASH_LIKE = /^(?:[0-9a-f]{8}|[0-9a-f]{16}|[0-9a-f]{32}|[0-9a-f]{64})$/i;

/**
 * A gateway with hash_keys off puts the raw API key in the `tyk.api.apikey` span tag; the
 * passthrough must not hand that to a browser. Replaces any such value that is not a hash.
 */
export function scrubRawKeys(value: unknown, depth = 0): unknown {
  if (depth > 12 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubRawKeys(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === "tyk.api.apikey" && !(typeof v === "string" && HASH_LIKE.test(v)) ? "[redacted]" : scrubRawKeys(v, depth + 1);
  }
  return out;
}
