import type { TykSessionState } from "@/lib/tyk/schema";

// The new key of a rotation carries the old key's session as it is in Tyk — policies, alias,
// meta_data, tags, own access rights and limits, expiry — so that callers moving to it lose nothing
// and the new key maps to the same identity (lib/sync/tyk/identity-rule.ts reads alias, meta_data
// and tags). Left out: what Tyk keeps per key rather than per grant (quota counters, timestamps)
// and secrets that belong to the old key (HMAC, JWT, basic-auth, OAuth keys).
const NOT_COPIED = [
  "key_id", "date_created", "last_updated", "last_check", "allowance", "quota_remaining", "quota_renews",
  "hmac_string", "jwt_data", "basic_auth_data", "oauth_keys", "certificate",
];

export function rotationSession(old: TykSessionState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(old)) if (!NOT_COPIED.includes(k) && v !== undefined) out[k] = v;
  // A fresh quota allowance, as Tyk gives any new key.
  if (typeof old.quota_max === "number") out.quota_remaining = old.quota_max;
  return out;
}

/** What a rotation will copy, for the plan an admin confirms. */
export interface RotationPlan {
  alias: string | null;
  policyIds: string[];
  metaDataKeys: string[];
  tags: string[];
  expires: number | null;
}

export function rotationPlanOf(snapshot: unknown): RotationPlan {
  const s = (snapshot && typeof snapshot === "object" ? snapshot : {}) as Record<string, unknown>;
  const meta = s.meta_data && typeof s.meta_data === "object" ? Object.keys(s.meta_data as object) : [];
  const expires = typeof s.expires === "number" && s.expires > 0 ? s.expires : null;
  return {
    alias: typeof s.alias === "string" && s.alias ? s.alias : null,
    policyIds: Array.isArray(s.apply_policies) ? (s.apply_policies as string[]) : [],
    metaDataKeys: meta.sort(),
    tags: Array.isArray(s.tags) ? (s.tags as string[]) : [],
    expires,
  };
}
