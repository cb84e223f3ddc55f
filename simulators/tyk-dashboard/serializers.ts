// World entities → the Dashboard API's JSON shapes, field for field as in tyk-docs
// swagger/dashboard-swagger.yml (snake_case bodies, but `_id`, string `last_updated`, and the
// capitalised `Data`/`Pages` policy envelope are Tyk's own quirks).
import { createHash } from "node:crypto";
import type { SimAccessRight, SimApi, SimIdentity, SimKey, SimOAuthClient, SimPolicy } from "../world";
import { isLiveKey, type LiveKey } from "./live-keys";

type Json = Record<string, unknown>;
const epochSeconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

const smoothing = { delay: 30, enabled: false, step: 100, threshold: 500, trigger: 0.8 };

function accessDefinition(right: SimAccessRight): Json {
  return {
    allowance_scope: "", allowed_types: [], allowed_urls: right.allowedUrls, api_id: right.apiId, api_name: right.apiName,
    disable_introspection: false, field_access_rights: [], restricted_types: [], versions: right.versions,
    limit: { max_query_depth: 0, per: 0, quota_max: 0, quota_remaining: 0, quota_renewal_rate: 0, quota_renews: 0, rate: 0,
      set_by_policy: false, smoothing, throttle_interval: 0, throttle_retry_limit: 0 },
  };
}

export function policyJson(p: SimPolicy): Json {
  return {
    _id: p.id,
    access_rights: Object.fromEntries(p.accessRights.map((r) => [r.apiId, accessDefinition(r)])),
    active: p.active,
    date_created: p.createdAt.toISOString(),
    hmac_enabled: false,
    id: p.id,
    is_inactive: !p.active,
    key_expires_in: 0,
    last_updated: epochSeconds(p.updatedAt),
    max_query_depth: -1,
    meta_data: { tier: p.tier },
    name: p.name,
    org_id: p.orgId,
    partitions: { acl: false, complexity: false, per_api: false, quota: false, rate_limit: false },
    per: p.per,
    quota_max: p.quotaMax,
    quota_renewal_rate: p.quotaRenewalRate,
    rate: p.rate,
    smoothing,
    tags: p.tags,
    throttle_interval: p.throttleInterval,
    throttle_retry_limit: p.throttleRetryLimit,
  };
}

export function apiDefinitionJson(a: SimApi): Json {
  return {
    api_id: a.id, id: a.dbId, name: a.name, slug: a.slug, org_id: a.orgId, active: a.active, internal: false, is_oas: false,
    use_keyless: a.keyless ?? false, use_standard_auth: !a.keyless, use_oauth2: a.slug === "orders" || a.slug === "catalog", use_basic_auth: false,
    enable_jwt: false, use_openid: false, enable_signature_checking: false, strip_auth_data: false,
    auth: { auth_header_name: "Authorization", use_param: false, use_cookie: false },
    definition: { location: "header", key: "x-api-version", strip_path: false },
    version_data: { not_versioned: true, default_version: "", versions: { Default: { name: "Default", expires: "",
      use_extended_paths: true, extended_paths: { track_endpoints: a.endpoints.map((e) => ({
        path: e.template.slice(a.listenPath.length - 1) || "/", method: e.method })) } } } },
    proxy: { listen_path: a.listenPath, target_url: a.targetUrl, strip_listen_path: true, preserve_host_header: false },
    cache_options: { cache_timeout: a.cacheTimeout, enable_cache: a.cacheTimeout > 60, cache_all_safe_requests: false },
    enable_detailed_recording: a.enableDetailedRecording, detailed_tracing: a.detailedTracing ?? true, do_not_track: false, tags: a.tags, tags_disabled: false,
    domain: "", domain_disabled: false, custom_middleware: { pre: [], post: [], post_key_auth: [], auth_check: { name: "" },
      response: [], driver: "" },
    config_data: { version: a.version }, global_rate_limit: { rate: 0, per: 0 }, expire_analytics_after: 0,
  };
}

export function apiWrapperJson(a: SimApi): Json {
  return {
    api_definition: apiDefinitionJson(a), api_model: {}, categories: [], created_at: a.createdAt.toISOString(),
    hook_references: [], is_site: false, sort_by: 0, updated_at: a.updatedAt.toISOString(), user_group_owners: [], user_owners: [],
  };
}

/**
 * One entry of `GET /api/apis/oauth/{apiId}` (`apps`): the Dashboard returns each client's secret
 * too, so a consumer must drop it; here it is derived from the client id so it is stable.
 */
export function oauthAppJson(c: SimOAuthClient, rotatedSecret?: string): Json {
  return {
    client_id: c.clientId,
    secret: rotatedSecret ?? createHash("sha256").update(`secret:${c.clientId}`).digest("base64url").slice(0, 43),
    redirect_uri: c.redirectUri,
    policy_id: c.policyId,
    client_name: c.name,
    description: "",
    meta_data: { owner: c.ownerEmail },
  };
}

export function keyId(k: Pick<SimKey, "hash" | "rawKey">, hashKeys: boolean): string {
  return hashKeys ? k.hash : k.rawKey;
}

/** What a key's policies put into its session: their access rights, and the first one's limits. */
function policyDerived(policyIds: string[], policies: Map<string, Json>): Json {
  const applied = policyIds.map((id) => policies.get(id)).filter((p): p is Json => !!p);
  const first = applied[0] ?? {};
  return {
    access_rights: Object.assign({}, ...applied.map((p) => p.access_rights as Json)), allowance: first.rate ?? 0,
    per: first.per ?? 0, quota_max: first.quota_max ?? -1, quota_remaining: first.quota_max ?? -1,
    quota_renewal_rate: first.quota_renewal_rate ?? 0, rate: first.rate ?? 0,
    throttle_interval: first.throttle_interval ?? -1, throttle_retry_limit: first.throttle_retry_limit ?? -1,
  };
}

const SESSION_DEFAULTS: Json = {
  apply_policy_id: "", basic_auth_data: { hash_type: "", password: "", user: "" }, certificate: "", data_expires: 0,
  enable_detailed_recording: false, hmac_enabled: false, hmac_string: "", id_extractor_deadline: 0, jwt_data: { secret: "" },
  key_id: "", last_check: 0, max_query_depth: 0, meta_data: {}, monitor: { trigger_limits: [] }, oauth_client_id: "",
  oauth_keys: {}, quota_renews: 0, session_lifetime: 0, smoothing, tags: [],
};

export function sessionStateJson(k: SimKey, policies: Map<string, Json>): Json {
  return {
    ...SESSION_DEFAULTS, ...policyDerived(k.policyIds, policies), alias: k.alias, apply_policies: k.policyIds,
    date_created: k.createdAt.toISOString(), expires: k.expires, is_inactive: k.isInactive, last_updated: epochSeconds(k.updatedAt),
    oauth_client_id: k.oauthClientId, org_id: k.orgId, tags: k.tags,
  };
}

/**
 * A key written through the API: its session as written, with what its policies impose on top
 * (a policy's rights and limits win over the key's own, as in Tyk when the key has policies).
 */
export function liveSessionJson(k: LiveKey, policies: Map<string, Json>): Json {
  const policyIds = (k.session.apply_policies as string[]) ?? [];
  return {
    ...SESSION_DEFAULTS, access_rights: {}, ...k.session, ...(policyIds.length ? policyDerived(policyIds, policies) : {}),
    date_created: k.createdAt.toISOString(), last_updated: epochSeconds(k.updatedAt),
  };
}

export function keyDataJson(k: SimKey | LiveKey, hashKeys: boolean, policies: Map<string, Json>): Json {
  const data = isLiveKey(k) ? liveSessionJson(k, policies) : sessionStateJson(k, policies);
  return { api_model: {}, key_id: hashKeys ? k.hash : k.rawKey, key_hash: k.hash, data };
}

export interface DashboardUser { id: string; identity: SimIdentity; accessKey: string; createdAt: Date }

export function userJson(u: DashboardUser, orgId: string): Json {
  const [first, ...rest] = u.identity.name.split(" ");
  const role = u.identity.dashboardRole;
  return {
    access_key: u.accessKey, active: true, api_model: {}, created_at: u.createdAt.toISOString(),
    email_address: u.identity.email, first_name: first, group_id: "", id: u.id, last_login_date: u.createdAt.toISOString(),
    last_name: rest.join(" "), org_id: orgId, password_max_days: 0, password_updated: u.createdAt.toISOString(),
    user_permissions: role === "admin" ? { IsAdmin: "admin", ResetPassword: "admin" }
      : role === "viewer" ? { analytics: "read", apis: "read", keys: "read", policies: "read" }
        : { analytics: "read", apis: "write", keys: "write", policies: "write", audit_logs: "read" },
  };
}
