// API-level limits are limits: an API definition change that raised or removed the API's own rate
// limit (classic `global_rate_limit`, `disable_rate_limit`; Tyk OAS `x-tyk-api-gateway.upstream.rateLimit`)
// or this endpoint's rate limit (classic `extended_paths.rate_limit` entries) relaxed access like a
// policy raise does. Read from the diff between two synced versions of the definition (paths under
// `api_definition.` and `oas.`, as the Tyk sync's snapshots have them).
import type { AccessChange, RateLimit } from "./types";
import type { RelaxationFound } from "./relaxation";

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v != null && !Array.isArray(v);

/** A limit of `rate` per `per` seconds as requests per minute; 0 or less means none (Tyk: rate 0 disables it). */
const perMinute = (l: RateLimit | undefined) => (l && l.rate > 0 && l.per > 0 ? (l.rate / l.per) * 60 : undefined);

/** Tyk OAS durations: "1s", "60s", "1m", "1h" (seconds when unitless). */
function seconds(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  const m = typeof v === "string" ? /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim()) : null;
  if (!m) return undefined;
  const unit = m[2] ?? "s";
  return Number(m[1]) * (unit === "ms" ? 0.001 : unit === "m" ? 60 : unit === "h" ? 3600 : 1);
}

const fmtLimit = (l: RateLimit) => (l.per === 1 ? `${l.rate}/s` : l.per === 60 ? `${l.rate}/min` : `${l.rate} per ${l.per} s`);

/** before/after of the diff leaf `path`, or of a field of an object diffed whole above it. */
function valueAt(c: AccessChange, path: string): { before: unknown; after: unknown; changed: boolean } {
  for (const d of c.diff) {
    if (d.path === path) return { before: d.before, after: d.after, changed: true };
    if (path.startsWith(`${d.path}.`)) {
      const rest = path.slice(d.path.length + 1).split(".");
      const dig = (v: unknown) => rest.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), v);
      const before = dig(d.before), after = dig(d.after);
      return { before, after, changed: JSON.stringify(before) !== JSON.stringify(after) };
    }
  }
  return { before: undefined, after: undefined, changed: false };
}

/** An API-wide limit before and after, from rate/per leaves (an unchanged field from the normalised limits). */
function apiWide(c: AccessChange, base: string, perOf: (v: unknown) => number | undefined): { before?: RateLimit; after?: RateLimit; changed: boolean } {
  const rate = valueAt(c, `${base}.rate`), per = valueAt(c, `${base}.per`);
  if (!rate.changed && !per.changed) return { changed: false };
  const limit = (r: unknown, p: unknown, fallback?: RateLimit): RateLimit | undefined => {
    const rr = num(r) ?? fallback?.rate, pp = perOf(p) ?? fallback?.per;
    return rr != null && pp != null ? { rate: rr, per: pp } : undefined;
  };
  const before = limit(rate.changed ? rate.before : (c.limitBefore?.rate ?? rate.before), per.changed ? per.before : c.limitBefore?.per ?? per.before, c.limitBefore);
  const after = limit(rate.changed ? rate.after : (c.limitAfter?.rate ?? rate.after), per.changed ? per.after : c.limitAfter?.per ?? per.after, c.limitAfter);
  return { before, after, changed: true };
}

const normalise = (p: string) => p.replace(/\{[^/}]*\}|:[^/]+/g, "{}").replace(/\/+$/, "");

interface EndpointLimit { path: string; method: string; rate: number; per: number; on: boolean }

function endpointLimits(v: unknown): EndpointLimit[] {
  const list = Array.isArray(v) ? v : isObject(v) && Array.isArray(v.rate_limit) ? v.rate_limit : [];
  return list.filter(isObject).map((e) => ({
    path: String(e.path ?? ""), method: String(e.method ?? "").toUpperCase(), rate: num(e.rate) ?? 0, per: num(e.per) ?? 0,
    on: e.enabled !== false && e.disabled !== true,
  }));
}

/** This endpoint's classic per-endpoint limit before and after, when an `extended_paths` list changed. */
function endpointLimit(c: AccessChange, endpoint: { method: string; path: string }): { before?: RateLimit; after?: RateLimit } | null {
  const mine = (e: EndpointLimit) => e.method === endpoint.method.toUpperCase() && normalise(endpoint.path).endsWith(normalise(e.path.startsWith("/") ? e.path : `/${e.path}`));
  for (const d of c.diff) {
    if (!/extended_paths(\.rate_limit)?$/.test(d.path)) continue;
    const b = endpointLimits(d.before).find((e) => mine(e) && e.on), a = endpointLimits(d.after).find((e) => mine(e) && e.on);
    if (!b && !a) continue;
    return { before: b ? { rate: b.rate, per: b.per } : undefined, after: a ? { rate: a.rate, per: a.per } : undefined };
  }
  return null;
}

/** How an API definition change relaxed the API's or this endpoint's rate limit, or null. */
export function apiRelaxation(c: AccessChange, endpoint?: { method: string; path: string }): RelaxationFound | null {
  const classic = apiWide(c, "api_definition.global_rate_limit", num);
  const oas = apiWide(c, "oas.x-tyk-api-gateway.upstream.rateLimit", seconds);
  const oasEnabled = valueAt(c, "oas.x-tyk-api-gateway.upstream.rateLimit.enabled");
  const disabled = valueAt(c, "api_definition.disable_rate_limit");
  const clauses: string[] = [];
  let oldPerMin: number | undefined, newPerMin: number | undefined, api = false, ep = false;

  const judge = (before: RateLimit | undefined, after: RateLimit | undefined, what: string) => {
    const b = perMinute(before), a = perMinute(after);
    if (b == null) return false;
    oldPerMin = b;
    newPerMin = a;
    if (a == null) clauses.push(`${what} (${fmtLimit(before!)}) was removed`);
    else if (a > b) clauses.push(`${what} rose ${fmtLimit(before!)} → ${fmtLimit(after!)}`);
    else return false;
    return true;
  };
  if (disabled.changed && disabled.after === true && disabled.before !== true) {
    api = true;
    clauses.push("rate limiting was disabled for the API");
  }
  if (oasEnabled.changed && oasEnabled.before === true && oasEnabled.after === false) {
    api = true;
    clauses.push("the API's rate limit was disabled");
  }
  if (classic.changed) api = judge(classic.before, classic.after, "the API's rate limit") || api;
  else if (oas.changed) api = judge(oas.before, oas.after, "the API's rate limit") || api;
  const own = endpoint ? endpointLimit(c, endpoint) : null;
  if (own) ep = judge(own.before, own.after, "this endpoint's rate limit");
  if (!api && !ep) return null;
  return { relaxed: [...(api ? ["api_limit" as const] : []), ...(ep ? ["endpoint_limit" as const] : [])], oldPerMin, newPerMin, phrase: clauses.join(" and ") };
}
