// The simulated world's data contract, shared by the Tyk and Lightstep simulators and their tests.
// See /work/briefs/world-contract.md. Nothing here may import from lib/.

export interface WorldOptions {
  seed?: number;
  /** "now" at simulator start; default new Date(). Floored to the whole minute so that two
   *  simulators started within the same minute (or given the same WORLD_ANCHOR) agree. */
  anchor?: Date;
  /** Extra synthetic entities for benchmarks: adds that many keys / policies / APIs (no traffic). */
  scale?: { keys?: number; policies?: number; apis?: number };
}

export interface SimIdentity {
  id: string;
  kind: "person" | "service";
  email?: string;
  name: string;
  team?: string;
  /** For services: the person who owns it (e.g. globex-batch → bob@globex.test). */
  ownerEmail?: string;
  /** For people: their Tyk Dashboard role, when they are a Dashboard user. */
  dashboardRole?: "admin" | "responder" | "viewer" | "developer";
}

export interface SimEndpoint {
  method: string;
  /** Full path template including the listen path, e.g. "/orders/{id}". */
  template: string;
  /** Median latency (ms) and log-normal spread of the upstream. */
  medianMs: number;
  sigma: number;
}

export interface SimApi {
  id: string; // Tyk api_id (32 hex)
  dbId: string; // Dashboard's Mongo _id (24 hex)
  name: string;
  slug: string;
  listenPath: string; // e.g. "/orders/"
  targetUrl: string;
  orgId: string;
  active: boolean;
  endpoints: SimEndpoint[];
  tags: string[];
  version: number; // bumped on every definition edit
  cacheTimeout: number;
  enableDetailedRecording: boolean;
  /** Tyk's `detailed_tracing`; undefined means on. */
  detailedTracing?: boolean;
  /** Tyk's `use_keyless`: anyone may call it, with no key and so no identity. */
  keyless?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface SimAccessRight {
  apiId: string;
  apiName: string;
  versions: string[];
  allowedUrls: { url: string; methods: string[] }[];
}

export interface SimPolicy {
  id: string; // 24 hex
  name: string; // e.g. "partner-gold"
  tier: "free" | "partner" | "internal";
  rate: number;
  per: number;
  quotaMax: number;
  quotaRenewalRate: number;
  throttleInterval: number;
  throttleRetryLimit: number;
  accessRights: SimAccessRight[];
  tags: string[];
  active: boolean;
  orgId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SimKey {
  /** Tyk key hash (sha256 hex of rawKey); also the key id the Dashboard shows when hash_keys is on. */
  hash: string;
  rawKey: string;
  alias: string;
  /** Names a key with an empty alias for the traffic profiles; not a Tyk field. */
  ref?: string;
  identityId: string;
  policyIds: string[];
  oauthClientId: string;
  orgId: string;
  /** Epoch seconds, 0 = never. */
  expires: number;
  isInactive: boolean;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface SimOAuthClient {
  clientId: string;
  name: string;
  apiId: string;
  policyId: string;
  redirectUri: string;
  ownerEmail: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorldState {
  apis: SimApi[];
  policies: SimPolicy[];
  keys: SimKey[];
  oauthClients: SimOAuthClient[];
}

export interface ChangeEvent {
  id: string;
  at: Date;
  actor: string; // email
  kind: "policy" | "key" | "api" | "oauth_client";
  action: "create" | "update" | "delete" | "rotate" | "revoke";
  targetId: string;
  method: "POST" | "PUT" | "DELETE";
  url: string; // the Dashboard API URL the write hit, e.g. /api/portal/policies/<id>
  description: string;
}

export interface SimRequest {
  id: string;
  ts: number;
  apiId: string;
  apiName: string;
  listenPath: string;
  orgId: string;
  method: string;
  path: string; // concrete, e.g. /orders/8812
  template: string; // e.g. /orders/{id}, including the listen path
  status: number;
  latencyMs: number;
  upstreamMs: number;
  gatewayMs: number;
  rawKey: string;
  keyHash: string;
  keyAlias: string;
  oauthClientId: string;
  policyIds: string[];
  identityEmail?: string;
  serviceName?: string;
  /** A customer id the upstream puts on the trace (span attribute `customer.id`) that no identity mapping reads. */
  customerId?: string;
  /** Empty when the API has detailed tracing off: no trace id tag, no trace. */
  traceId: string;
  spanId: string;
  /** The upstream service's version (OTel resource attribute service.version) when the world models deploys. */
  serviceVersion?: string;
  environment: string;
  ip: string;
  userAgent: string;
}

export interface WorldIncident {
  endpoint: { apiId: string; method: string; template: string };
  policyId: string;
  culpritKeyHash: string;
  spikeStart: Date;
  spikeEnd: Date;
}

/** A user type's anomaly: one policy's callers of one endpoint got slower from `start` on (others on it did not). */
export interface WorldGroupAnomaly {
  policyId: string;
  apiId: string;
  method: string;
  template: string;
  start: Date;
  factor: number;
}

export interface World {
  seed: number;
  anchor: Date;
  orgId: string;
  identities: SimIdentity[];
  events: ChangeEvent[];
  stateAt(t: Date): WorldState;
  requestsInMinute(minuteStartMs: number): SimRequest[];
  requestsBetween(fromMs: number, toMs: number): SimRequest[];
  incident: WorldIncident;
  groupAnomaly: WorldGroupAnomaly;
  /**
   * A policy written through the Dashboard API at `at`: from then on the gateway enforces its limits
   * on the world's traffic (429 past its rate, 403 past its quota) and the upstreams feel only what it lets through.
   */
  writePolicy(write: PolicyWrite): void;
  /** Every policy written so far, oldest first. */
  policyWrites(): PolicyWrite[];
  /**
   * The seeded incident's batch export runs again (demo and e2e: to watch a limit cut a live flood):
   * the culprit key floods the incident endpoint from `at` for `minutes`, as in the seeded spike.
   */
  startFlood(flood: WorldFlood): void;
  /** Every flood started so far, oldest first. */
  floods(): WorldFlood[];
  /** A gateway rate limiter of its own (its own sliding logs) over the policies written so far and later, for requests outside the world's traffic. */
  rateLimiter(): (r: SimRequest) => SimRequest;
}

export interface PolicyWrite { id: string; at: Date; body: Record<string, unknown> }
export interface WorldFlood { at: Date; minutes: number }
