// The session of a temporary key: the requested policy, or the requested APIs with the configured
// rate limit; `expires` set; the requester's identity in alias and meta_data, so the Tyk sync's
// identity rule (lib/sync/tyk/identity-rule.ts: meta_data.email first, then an email alias) maps
// its traffic to that person in traces, the call trail and investigations.

export interface TemporaryKeyInput {
  requestId: string;
  requesterEmail: string;
  requesterName: string | null;
  policyId: string | null;
  /** For a request by APIs: each API with the version names its definition has. */
  apis: { id: string; name: string; versions: string[] }[];
  expiresAt: Date;
  ratePerMinute: number;
}

export function temporaryKeySession(k: TemporaryKeyInput): Record<string, unknown> {
  const meta = { email: k.requesterEmail, ...(k.requesterName ? { name: k.requesterName } : {}), touchline_access_request: k.requestId };
  const base = { alias: k.requesterEmail, meta_data: meta, expires: Math.floor(k.expiresAt.getTime() / 1000), is_inactive: false, tags: [] as string[] };
  if (k.policyId) return { ...base, apply_policies: [k.policyId] };
  return {
    ...base,
    apply_policies: [],
    access_rights: Object.fromEntries(k.apis.map((a) => [a.id, { api_id: a.id, api_name: a.name, versions: a.versions.length ? a.versions : ["Default"], allowed_urls: [] }])),
    rate: k.ratePerMinute, per: 60, quota_max: -1, quota_renewal_rate: -1, throttle_interval: -1, throttle_retry_limit: -1,
  };
}

/** Version names of a stored API definition (Tyk's `version_data.versions`), "Default" when it has none. */
export function apiVersions(definition: unknown): string[] {
  const d = (definition && typeof definition === "object" ? definition : {}) as { api_definition?: { version_data?: { versions?: Record<string, unknown> } }; version_data?: { versions?: Record<string, unknown> } };
  const versions = (d.api_definition?.version_data ?? d.version_data)?.versions;
  const names = versions && typeof versions === "object" ? Object.keys(versions) : [];
  return names.length ? names : ["Default"];
}
