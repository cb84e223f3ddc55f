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
}

const numOrNull = (v: unknown) => (typeof v === "number" ? v : null);

export function readLimit(policy: Json, scope: LimitScope, apiId: string | null): LimitValue {
  if (scope === "policy") return { scope, apiId: null, rate: numOrNull(policy.rate), per: numOrNull(policy.per) };
  const limit = ((policy.access_rights as Record<string, Json> | undefined)?.[apiId ?? ""]?.limit ?? null) as Json | null;
  const perApi = (policy.partitions as Json | undefined)?.per_api === true;
  return { scope, apiId, rate: numOrNull(limit?.rate), per: numOrNull(limit?.per), perApi };
}

/** The policy with the limit's fields set (an "api" limit with null rate removes the API's limit). */
export function writeLimit(policy: Json, v: LimitValue): Json {
  if (v.scope === "policy") return { ...policy, rate: v.rate ?? 0, per: v.per ?? 0 };
  const rights = { ...((policy.access_rights as Record<string, Json> | undefined) ?? {}) };
  const api = rights[v.apiId ?? ""];
  if (!api) throw new Error(`the policy does not grant API ${v.apiId}`);
  const { limit: _old, ...rest } = api;
  rights[v.apiId!] = v.rate === null ? rest : { ...api, limit: { ...((api.limit as Json | null) ?? {}), rate: v.rate, per: v.per } };
  return { ...policy, access_rights: rights, partitions: { ...((policy.partitions as Json | undefined) ?? {}), per_api: v.perApi ?? true } };
}

export function limitText(v: Pick<LimitValue, "rate" | "per"> & { scope?: LimitScope }): string {
  if (v.rate && v.rate > 0 && v.per) return `${v.rate} per ${v.per} s`;
  return v.scope === "api" ? "no per-API limit" : "unlimited";
}
