import type { TykKeyData } from "@/lib/tyk/schema";
import type { Json } from "./snapshots";
import { last4Of, tykTime } from "./snapshots";
import { bigintOrNull, json } from "./stage";

/** A key's policies: `apply_policies`, plus the legacy single `apply_policy_id`. */
export function policiesOf(k: TykKeyData): string[] {
  const ids = [...k.data.apply_policies];
  if (k.data.apply_policy_id && !ids.includes(k.data.apply_policy_id)) ids.push(k.data.apply_policy_id);
  return ids;
}

/** The APIs a key reaches: its own access rights and those of its policies (`policyApis`: policy id → API ids). */
export function apiIdsOf(k: TykKeyData, policyIds: string[], policyApis: ReadonlyMap<string, string[]>): string[] {
  const own = Object.entries(k.data.access_rights ?? {}).map(([id, a]) => a.api_id || id);
  return [...new Set([...own, ...policyIds.flatMap((p) => policyApis.get(p) ?? [])])].sort();
}

/** The `keys` row columns for a key as the Dashboard returned it (the sync's and Touchline's own key writes share them). */
export function keyColumns(k: TykKeyData, p: { policyIds: string[]; apiIds: string[]; identityId: string | null; snapshot: Json; syncedAt: Date }) {
  return {
    last4: last4Of(k.key_id),
    alias: k.data.alias || null,
    identityId: p.identityId,
    policyIds: p.policyIds,
    apiIds: p.apiIds,
    oauthClientId: k.data.oauth_client_id || null,
    rate: k.data.rate ?? null,
    per: k.data.per ?? null,
    quotaMax: bigintOrNull(k.data.quota_max),
    expiresAt: k.data.expires && k.data.expires > 0 ? new Date(k.data.expires * 1000) : null,
    isInactive: Boolean(k.data.is_inactive),
    tykCreatedAt: tykTime(k.data.date_created),
    lastUpdated: tykTime(k.data.last_updated),
    snapshot: json(p.snapshot),
    syncedAt: p.syncedAt,
  };
}
