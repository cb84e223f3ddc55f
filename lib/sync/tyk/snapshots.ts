import type { TykApiDefinitionWrapper, TykKeyData, TykOAuthApp, TykPolicy } from "@/lib/tyk/schema";
import { sha256Hex } from "./audit-target";

// What Touchline keeps of each Tyk entity, and what it leaves out:
// - secrets never: a key's own id (it is the raw key when hash_keys is off), basic-auth passwords,
//   JWT/HMAC secrets, OAuth client secrets, a user's access_key;
// - volatile fields that change without anyone changing access, so they would produce a new
//   "version" on every sync: `last_updated` (kept in its own column), a key's `allowance`,
//   `quota_remaining`, `quota_renews`, `last_check`, and the API wrapper's `updated_at`.
// A version is written only when the snapshot (without those) differs.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function omit<T extends Record<string, unknown>>(obj: T, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k) && v !== undefined) out[k] = v;
  return out;
}

const toJson = (v: unknown): Json => JSON.parse(JSON.stringify(v ?? null)) as Json;

/** A policy's snapshot as JSON text (a first sync hands it to the database as it is). */
export function policySnapshotText(p: TykPolicy): string {
  return JSON.stringify(omit(p as Record<string, unknown>, ["last_updated"]));
}

export function policySnapshot(p: TykPolicy): Json {
  return JSON.parse(policySnapshotText(p)) as Json;
}

export function apiSnapshot(w: TykApiDefinitionWrapper): Json {
  return toJson({ api_definition: w.api_definition, ...(w.oas ? { oas: w.oas } : {}) });
}

export function oauthClientSnapshot(a: TykOAuthApp, apiId: string): Json {
  return toJson({ ...omit(a as Record<string, unknown>, ["secret"]), api_id: apiId });
}

const KEY_VOLATILE = ["allowance", "quota_remaining", "quota_renews", "last_check", "last_updated"];
const KEY_SECRET = ["key_id", "hmac_string", "oauth_keys", "jwt_data", "basic_auth_data"];

/** Tyk's key hash: `key_hash` when the Dashboard gives it; a 64-hex key id is already a sha256 hash; else sha256 of the id. */
export function keyHashOf(k: Pick<TykKeyData, "key_id" | "key_hash">): string {
  if (k.key_hash) return k.key_hash;
  return /^[0-9a-f]{64}$/.test(k.key_id) ? k.key_id : sha256Hex(k.key_id);
}

export function last4Of(keyId: string): string {
  return keyId.slice(-4);
}

/** A key's snapshot as JSON text (a first sync hands it to the database as it is). */
export function keySnapshotText(k: TykKeyData): string {
  const data = omit(k.data as Record<string, unknown>, [...KEY_VOLATILE, ...KEY_SECRET]);
  const basic = (k.data as Record<string, unknown>).basic_auth_data as Record<string, unknown> | undefined;
  if (basic && typeof basic === "object") data.basic_auth_data = omit(basic, ["password"]);
  return JSON.stringify({ key_hash: keyHashOf(k), last4: last4Of(k.key_id), ...data });
}

export function keySnapshot(k: TykKeyData): Json {
  return JSON.parse(keySnapshotText(k)) as Json;
}

/** Epoch seconds (as Tyk's string or number) or an ISO date → Date. */
export function tykTime(v: string | number | null | undefined): Date | null {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v);
  if (Number.isFinite(n)) return n > 0 ? new Date(n * 1000) : null;
  const ms = Date.parse(String(v));
  return Number.isNaN(ms) ? null : new Date(ms);
}
