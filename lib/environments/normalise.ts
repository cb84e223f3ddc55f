/**
 * Environment names as each side declares them, reduced to one canonical name: "prd", "prod" and
 * "production" are the same environment. Pure. Admin-set aliases (environment_aliases) are
 * consulted before the built-in spellings, so an install's own names ("live-eu") can join one.
 */

export const CANONICAL_ENVIRONMENTS = ["production", "staging", "development", "test", "sandbox"] as const;
export type CanonicalEnvironment = (typeof CANONICAL_ENVIRONMENTS)[number];

const SPELLINGS: Record<string, CanonicalEnvironment> = {
  prod: "production", production: "production", prd: "production", live: "production", prod1: "production",
  staging: "staging", stage: "staging", stg: "staging", preprod: "staging", "pre-prod": "staging", preproduction: "staging",
  dev: "development", development: "development", develop: "development",
  test: "test", testing: "test", qa: "test", uat: "test", tst: "test",
  sandbox: "sandbox", sbx: "sandbox",
};

/** Lower-case, trimmed, with separators made one: how a name is compared and how aliases are keyed. */
export function environmentKey(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

/** The canonical name of a declared environment (an alias first, then the built-in spellings), or its key when unknown. */
export function normaliseEnvironment(raw: string, aliases: ReadonlyMap<string, string> = new Map()): string {
  const key = environmentKey(raw);
  return aliases.get(key) ?? SPELLINGS[key] ?? key;
}

/** A word that names an environment by itself (a tag "prd", a suffix "-staging"); false for "orders". */
export function isEnvironmentWord(word: string, aliases: ReadonlyMap<string, string> = new Map()): boolean {
  const key = environmentKey(word);
  return key in SPELLINGS || aliases.has(key);
}

export interface DeclaredEnvironment {
  raw: string;
  source: "tag" | "name" | "listen_path";
}

const PREFIXED_TAG = /^(?:env|environment|deployment\.environment|stage)[:=](.+)$/i;

/**
 * The environment a Tyk API declares: a tag "env:<name>" (or a tag that is an environment word),
 * else a suffix of its name ("Orders API - staging", "orders-staging"), else a listen path segment
 * ("/staging/orders/", "/orders-stg/"). Null when it says nothing.
 */
export function tykEnvironment(api: { name: string; listenPath: string; tags: readonly string[] }, aliases: ReadonlyMap<string, string> = new Map()): DeclaredEnvironment | null {
  for (const tag of api.tags) {
    const m = PREFIXED_TAG.exec(tag.trim());
    if (m) return { raw: m[1].trim(), source: "tag" };
  }
  for (const tag of api.tags) if (isEnvironmentWord(tag, aliases)) return { raw: tag.trim(), source: "tag" };
  const words = (s: string) => s.split(/[^A-Za-z0-9.]+/).filter(Boolean);
  const nameWords = words(api.name.replace(/\(([^)]*)\)/g, " $1 "));
  const last = nameWords.at(-1);
  if (last && nameWords.length > 1 && isEnvironmentWord(last, aliases)) return { raw: last, source: "name" };
  for (const w of words(api.listenPath)) if (isEnvironmentWord(w, aliases)) return { raw: w, source: "listen_path" };
  return null;
}

/** An environment suffix on a trace service name ("orders-service-staging"), or null. */
export function serviceNameEnvironment(service: string, aliases: ReadonlyMap<string, string> = new Map()): string | null {
  const last = service.split(/[-_.]/).at(-1);
  return last && last !== service && isEnvironmentWord(last, aliases) ? last : null;
}

export type EnvironmentStatus = "same" | "naming" | "mismatch" | "gateway_only" | "traces_only" | "undeclared";

/**
 * How the two sides agree: "same" (one spelling), "naming" (different spellings of one environment,
 * e.g. prd vs production), "mismatch" (different environments), or which side declares nothing.
 */
export function compareEnvironments(tyk: string | null, traces: readonly string[], aliases: ReadonlyMap<string, string> = new Map()): EnvironmentStatus {
  if (!tyk && !traces.length) return "undeclared";
  if (!tyk) return "traces_only";
  if (!traces.length) return "gateway_only";
  const canon = normaliseEnvironment(tyk, aliases);
  if (traces.some((t) => normaliseEnvironment(t, aliases) !== canon)) return "mismatch";
  return traces.every((t) => environmentKey(t) === environmentKey(tyk)) ? "same" : "naming";
}
