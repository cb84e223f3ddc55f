// A Tyk estate over time, written in the Dashboard API's published JSON shapes (tyk-docs
// swagger/dashboard-swagger.yml, /work/shared/reference/tyk-dashboard-api.md): API definition
// wrappers, policies, KeyData with its SessionState, OAuth apps, users and audit-log records.
// Every write is a new version of an object from a time on (null: deleted) plus, when the
// Dashboard would audit it, an audit record. Independent of the demo world's generator; imports
// nothing from lib/.
import { hexOf, sha256 } from "./random";

export type Json = Record<string, unknown>;
type Kind = "api" | "policy" | "key" | "oauth";

interface Version {
  at: number;
  body: Json | null;
}

export interface AuditRecordJson {
  _id: string; req_id: string; org_id: string; date: string; timestamp: number; ip: string; user: string;
  action: string; method: string; url: string; status: number;
}

export interface ApiRef { id: string; dbId: string; name: string; listenPath: string }
export interface PolicyRef { id: string; name: string }
export interface KeyRef { hash: string; rawKey: string; alias: string; policyIds: string[]; oauthClientId: string }
export interface ClientRef { id: string; apiId: string; name: string }

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");
/** Go's "Mon, 02 Jan 2006 15:04:05 -07" as the Dashboard writes an audit record's `date`. */
const goDate = (ms: number) => {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +00`;
};
const epochSeconds = (ms: number) => String(Math.floor(ms / 1000));

export interface ApiSpec {
  name: string;
  listenPath: string;
  /** Endpoints declared as track_endpoints (relative to the listen path); none → the common case of an API with no tracked paths. */
  tracked?: { method: string; path: string }[];
  /** Tyk's API-level limit; rate 0 means none. */
  globalRateLimit?: { rate: number; per: number };
  oauth?: boolean;
}

export interface PolicySpec {
  name: string;
  rate: number;
  per: number;
  quotaMax?: number;
  apis: ApiRef[];
  tags?: string[];
}

export interface KeySpec {
  alias: string;
  policies: PolicyRef[];
  oauthClient?: ClientRef;
  metaData?: Json;
}

export class Estate {
  private readonly objects = new Map<string, { kind: Kind; id: string; versions: Version[]; apiId?: string }>();
  private readonly policyBodies = new Map<string, Json>();
  readonly audit: AuditRecordJson[] = [];
  readonly users: Json[] = [];
  private seq = 0;

  constructor(readonly orgId: string, readonly seed: string) {}

  private id(n: number, salt: string): string {
    return hexOf(`${this.seed}/${salt}/${this.seq++}`, n);
  }

  /** A Dashboard user (an actor in the audit log). */
  user(email: string, first: string, last: string): string {
    this.users.push({
      id: this.id(24, "user"), email_address: email, first_name: first, last_name: last, active: true, org_id: this.orgId,
      group_id: "", user_permissions: { IsAdmin: "admin" }, created_at: "2026-01-05T09:00:00Z", access_key: this.id(32, "user-key"),
    });
    return email;
  }

  private put(kind: Kind, id: string, at: number, body: Json | null, apiId?: string): void {
    const key = `${kind}:${id}`;
    let o = this.objects.get(key);
    if (!o) this.objects.set(key, (o = { kind, id, versions: [], apiId }));
    o.versions.push({ at, body });
    o.versions.sort((a, b) => a.at - b.at);
  }

  /** An audited Dashboard write (the audit log keeps no diff: who, which URL, when). */
  audited(at: number, user: string, method: string, url: string, action: string, status = 200): void {
    const rid = this.id(32, "req");
    this.audit.push({
      _id: this.id(24, "audit"), req_id: `${rid.slice(0, 8)}-${rid.slice(8, 12)}-${rid.slice(12, 16)}-${rid.slice(16, 20)}-${rid.slice(20)}`,
      org_id: this.orgId, date: goDate(at), timestamp: Math.floor(at / 1000), ip: "10.9.0.4", user, action, method, url, status,
    });
    this.audit.sort((a, b) => a.timestamp - b.timestamp);
  }

  // ---------- APIs ----------

  private apiDefinition(ref: ApiRef, spec: ApiSpec): Json {
    const tracked = spec.tracked ?? [];
    return {
      api_id: ref.id, id: ref.dbId, name: ref.name, slug: ref.name.toLowerCase().replace(/\W+/g, "-"), org_id: this.orgId, active: true,
      is_oas: false, use_keyless: false, use_standard_auth: !spec.oauth, use_oauth2: Boolean(spec.oauth), enable_jwt: false,
      auth: { auth_header_name: "Authorization", use_param: false, use_cookie: false },
      version_data: {
        not_versioned: true, default_version: "",
        versions: { Default: { name: "Default", expires: "", use_extended_paths: true,
          extended_paths: tracked.length ? { track_endpoints: tracked.map((t) => ({ path: t.path, method: t.method })) } : {} } },
      },
      proxy: { listen_path: ref.listenPath, target_url: `http://${ref.name.toLowerCase().replace(/\W+/g, "-")}.internal:8080`, strip_listen_path: true },
      global_rate_limit: spec.globalRateLimit ?? { rate: 0, per: 0 },
      disable_rate_limit: false, disable_quota: false, enable_detailed_recording: false, do_not_track: false, tags: [],
      config_data: {},
    };
  }

  api(at: number, spec: ApiSpec): ApiRef {
    const ref = { id: this.id(32, "api"), dbId: this.id(24, "api-db"), name: spec.name, listenPath: spec.listenPath };
    this.put("api", ref.id, at, { api_definition: this.apiDefinition(ref, spec), created_at: new Date(at).toISOString() });
    return ref;
  }

  /** A new API definition from `at` on (PUT /api/apis/{dbId}, audited unless `audit: false`). */
  updateApi(at: number, user: string, ref: ApiRef, edit: (def: Json) => void, audit = true): void {
    const current = this.current("api", ref.id);
    const wrapper = structuredClone(current) as Json;
    edit(wrapper.api_definition as Json);
    this.put("api", ref.id, at, wrapper);
    if (audit) this.audited(at, user, "PUT", `/api/apis/${ref.dbId}`, "Update API");
  }

  // ---------- policies ----------

  private policyBody(id: string, spec: PolicySpec, at: number, created: number): Json {
    return {
      _id: id, id: "", name: spec.name, org_id: this.orgId, rate: spec.rate, per: spec.per, quota_max: spec.quotaMax ?? -1,
      quota_renewal_rate: 3600, throttle_interval: -1, throttle_retry_limit: -1, max_query_depth: -1, hmac_enabled: false,
      access_rights: Object.fromEntries(spec.apis.map((a) => [a.id, {
        api_id: a.id, api_name: a.name, versions: ["Default"], allowed_urls: [], restricted_types: [], limit: null, allowance_scope: "",
      }])),
      tags: spec.tags ?? [], active: true, is_inactive: false, key_expires_in: 0, partitions: { quota: false, rate_limit: false, acl: false, per_api: false },
      meta_data: {}, date_created: new Date(created).toISOString(), last_updated: epochSeconds(at),
    };
  }

  policy(at: number, spec: PolicySpec, audit?: { user: string }): PolicyRef {
    const ref = { id: this.id(24, "policy"), name: spec.name };
    const body = this.policyBody(ref.id, spec, at, at);
    this.policyBodies.set(ref.id, body);
    this.put("policy", ref.id, at, body);
    if (audit) this.audited(at, audit.user, "POST", "/api/portal/policies", "Create policy");
    return ref;
  }

  /** PUT /api/portal/policies/{id}; the keys under it carry the new limits from then on, as Tyk's sessions do. */
  updatePolicy(at: number, ref: PolicyRef, patch: Partial<PolicySpec> & { tags?: string[] }, audit?: { user: string }): void {
    const current = this.current("policy", ref.id)!;
    const body = { ...structuredClone(current), last_updated: epochSeconds(at) } as Json;
    if (patch.rate !== undefined) body.rate = patch.rate;
    if (patch.per !== undefined) body.per = patch.per;
    if (patch.quotaMax !== undefined) body.quota_max = patch.quotaMax;
    if (patch.tags !== undefined) body.tags = patch.tags;
    this.policyBodies.set(ref.id, body);
    this.put("policy", ref.id, at, body);
    for (const o of this.objects.values()) {
      if (o.kind !== "key") continue;
      const k = this.bodyAt(o, at);
      const data = k?.data as Json | undefined;
      if (data && (data.apply_policies as string[]).includes(ref.id)) this.put("key", o.id, at, this.withPolicyLimits(k!, at));
    }
    if (audit) this.audited(at, audit.user, "PUT", `/api/portal/policies/${ref.id}`, "Update policy");
  }

  // ---------- keys ----------

  private withPolicyLimits(k: Json, at: number): Json {
    const data = { ...(k.data as Json) };
    const applied = (data.apply_policies as string[]).map((p) => this.policyBodies.get(p)).filter((p): p is Json => !!p);
    const first = applied[0] ?? {};
    data.access_rights = Object.assign({}, ...applied.map((p) => p.access_rights as Json));
    data.rate = first.rate ?? 0;
    data.per = first.per ?? 0;
    data.quota_max = first.quota_max ?? -1;
    data.last_updated = epochSeconds(at);
    return { ...k, data };
  }

  key(at: number, spec: KeySpec, audit?: { user: string }): KeyRef {
    const rawKey = `${this.orgId}${this.id(32, "key")}`;
    const hash = sha256(rawKey);
    const ref: KeyRef = { hash, rawKey, alias: spec.alias, policyIds: spec.policies.map((p) => p.id), oauthClientId: spec.oauthClient?.id ?? "" };
    const body = this.withPolicyLimits({
      api_model: {}, key_id: hash, key_hash: hash,
      data: {
        alias: spec.alias, org_id: this.orgId, apply_policies: ref.policyIds, apply_policy_id: "", expires: 0, is_inactive: false,
        tags: [], meta_data: spec.metaData ?? {}, oauth_client_id: ref.oauthClientId, date_created: new Date(at).toISOString(),
        allowance: 0, quota_remaining: -1, quota_renews: 0, last_check: 0, hmac_enabled: false, hmac_string: "",
        basic_auth_data: { hash_type: "", password: "" }, jwt_data: { secret: "" }, monitor: { trigger_limits: [] },
      },
    }, at);
    this.put("key", hash, at, body);
    if (audit) this.audited(at, audit.user, "POST", "/api/keys", "Create key");
    return ref;
  }

  /** DELETE /api/keys/{hash}. */
  deleteKey(at: number, ref: KeyRef, audit?: { user: string }): void {
    this.put("key", ref.hash, at, null);
    if (audit) this.audited(at, audit.user, "DELETE", `/api/keys/${ref.hash}`, "Delete key");
  }

  // ---------- OAuth clients ----------

  oauthClient(at: number, api: ApiRef, name: string, policy: PolicyRef, audit?: { user: string }): ClientRef {
    const ref = { id: this.id(32, "client"), apiId: api.id, name };
    this.put("oauth", ref.id, at, {
      client_id: ref.id, secret: hexOf(`${ref.id}/secret`, 40), redirect_uri: `https://${name}.example/callback`, policy_id: policy.id,
      client_name: name, description: "", meta_data: {},
    }, api.id);
    if (audit) this.audited(at, audit.user, "POST", `/api/apis/oauth/${api.id}`, "Create OAuth client");
    return ref;
  }

  // ---------- reads (the Dashboard's view at a time) ----------

  private bodyAt(o: { versions: Version[] }, t: number): Json | null {
    let body: Json | null = null;
    for (const v of o.versions) if (v.at <= t) body = v.body;
    return body;
  }

  private current(kind: Kind, id: string): Json | null {
    const o = this.objects.get(`${kind}:${id}`);
    return o ? o.versions[o.versions.length - 1].body : null;
  }

  private live(kind: Kind, t: number): { id: string; apiId?: string; body: Json }[] {
    const out: { id: string; apiId?: string; body: Json }[] = [];
    for (const o of this.objects.values()) {
      if (o.kind !== kind) continue;
      const body = this.bodyAt(o, t);
      if (body) out.push({ id: o.id, apiId: o.apiId, body });
    }
    return out;
  }

  apisAt(t: number): Json[] {
    return this.live("api", t).map((o) => o.body);
  }

  policiesAt(t: number): Json[] {
    return this.live("policy", t).map((o) => o.body);
  }

  keysAt(t: number): Json[] {
    return this.live("key", t).map((o) => o.body);
  }

  oauthAppsAt(apiId: string, t: number): Json[] {
    return this.live("oauth", t).filter((o) => o.apiId === apiId).map((o) => o.body);
  }

  auditUntil(t: number): AuditRecordJson[] {
    return this.audit.filter((a) => a.timestamp * 1000 <= t);
  }

  /** The times of every write, for a replay that syncs after each. */
  writeTimes(): number[] {
    const times = new Set<number>();
    for (const o of this.objects.values()) for (const v of o.versions) times.add(v.at);
    return [...times].sort((a, b) => a - b);
  }
}
