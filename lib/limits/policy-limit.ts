// The limit fields of a Tyk policy Touchline reads and writes: the policy's own rate/per
// ("policy" scope), or `access_rights[api].limit` ("api" scope, with `partitions.per_api` on so
// the gateway reads it). Tyk's PUT replaces the whole policy, so a write is the policy as Tyk
// serves it with these fields changed and nothing else.
import { z } from "zod";

type Json = Record<string, unknown>;

export const limitScope = z.enum(["policy", "api"]);
export type LimitScope = z.infer<typeof limitScope>;

/** What one limit change wrote or found: the scope and the fields' values (null: not set). */
export interface LimitValue {
  scope: LimitScope;
  apiId: string | null;
  rate: number | null;
  per: number | null;
  /** An "api" limit: `partitions.per_api` (the gateway reads per-API limits only with it on; a rollback restores it). */
  perApi?: boolean;
  /** Quota and throttle, only when a change sets them (null: not set in Tyk); same fields at both scopes. */
  quotaMax?: number | null;
  quotaRenewalRate?: number | null;
  throttleInterval?: number | null;
  throttleRetryLimit?: number | null;
}

/** LimitValue's optional quota/throttle fields and Tyk's names for them (policy and `access_rights[api].limit` alike). */
const EXTRA_FIELDS = {
  quotaMax: "quota_max", quotaRenewalRate: "quota_renewal_rate", throttleInterval: "throttle_interval", throttleRetryLimit: "throttle_retry_limit",
} as const;
type ExtraField = keyof typeof EXTRA_FIELDS;
const extraFields = Object.keys(EXTRA_FIELDS) as ExtraField[];

/** The quota/throttle fields of `from` (a Tyk policy or limit object) that `like` sets. */
function readExtras(from: Json | null | undefined, like: Partial<LimitValue>): Partial<LimitValue> {
  return Object.fromEntries(extraFields.filter((f) => like[f] !== undefined).map((f) => [f, numOrNull(from?.[EXTRA_FIELDS[f]])]));
}

/** `to` with the quota/throttle fields `v` sets (null removes one). */
function writeExtras(to: Json, v: LimitValue): Json {
  const out = { ...to };
  for (const f of extraFields) {
    if (v[f] === undefined) continue;
    if (v[f] === null) delete out[EXTRA_FIELDS[f]];
    else out[EXTRA_FIELDS[f]] = v[f];
  }
  return out;
}

const numOrNull = (v: unknown) => (typeof v === "number" ? v : null);

/** The limit's fields as the policy has them (quota/throttle only those `like` sets: what a change would write). */
export function readLimit(policy: Json, scope: LimitScope, apiId: string | null, like: Partial<LimitValue> = {}): LimitValue {
  if (scope === "policy") return { scope, apiId: null, rate: numOrNull(policy.rate), per: numOrNull(policy.per), ...readExtras(policy, like) };
  const limit = ((policy.access_rights as Record<string, Json> | undefined)?.[apiId ?? ""]?.limit ?? null) as Json | null;
  const perApi = (policy.partitions as Json | undefined)?.per_api === true;
  return { scope, apiId, rate: numOrNull(limit?.rate), per: numOrNull(limit?.per), perApi, ...readExtras(limit, like) };
}

/** The policy with the limit's fields set (an "api" limit with null rate removes the API's limit). */
export function writeLimit(policy: Json, v: LimitValue): Json {
  if (v.scope === "policy") return writeExtras({ ...policy, rate: v.rate ?? 0, per: v.per ?? 0 }, v);
  const rights = { ...((policy.access_rights as Record<string, Json> | undefined) ?? {}) };
  const api = rights[v.apiId ?? ""];
  if (!api) throw new Error(`the policy does not grant API ${v.apiId}`);
  const { limit: _old, ...rest } = api;
  rights[v.apiId!] = v.rate === null ? rest : { ...api, limit: writeExtras({ ...((api.limit as Json | null) ?? {}), rate: v.rate, per: v.per }, v) };
  return { ...policy, access_rights: rights, partitions: { ...((policy.partitions as Json | undefined) ?? {}), per_api: v.perApi ?? true } };
}

export function limitText(v: Pick<LimitValue, "rate" | "per"> & Partial<Pick<LimitValue, ExtraField>> & { scope?: LimitScope }): string {
  const rate = v.rate && v.rate > 0 && v.per ? `${v.rate} per ${v.per} s` : v.scope === "api" ? "no per-API limit" : "unlimited";
  return rate + extrasText(v);
}

/** ", quota … / throttle …" for the quota/throttle fields a value sets (nothing for the ones it leaves alone). */
function extrasText(v: Partial<Pick<LimitValue, ExtraField>>): string {
  const parts: string[] = [];
  if (v.quotaMax !== undefined) parts.push(v.quotaMax && v.quotaMax > 0 && v.quotaRenewalRate ? `quota ${v.quotaMax} per ${v.quotaRenewalRate} s` : "no quota");
  if (v.throttleInterval !== undefined) {
    parts.push(v.throttleInterval && v.throttleInterval > 0 && v.throttleRetryLimit && v.throttleRetryLimit > 0
      ? `throttle ${v.throttleRetryLimit} retries every ${v.throttleInterval} s` : "no throttle");
  }
  return parts.map((p) => `, ${p}`).join("");
}
