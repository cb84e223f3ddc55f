// The cast and the estate: who exists, which APIs and endpoints, which policies and keys at the
// start of the simulated day. Names are fixed; ids derive from the seed.
import { createHash } from "node:crypto";
import { hex, rngFor } from "./prng";
import type { SimApi, SimEndpoint, SimIdentity, SimKey, SimOAuthClient, SimPolicy, WorldState } from "./types";

export const IDENTITIES: SimIdentity[] = [
  { id: "p-ada", kind: "person", email: "ada@acme.test", name: "Ada Admin", team: "platform", dashboardRole: "admin" },
  { id: "p-rui", kind: "person", email: "rui@acme.test", name: "Rui Responder", team: "sre", dashboardRole: "responder" },
  { id: "p-vera", kind: "person", email: "vera@acme.test", name: "Vera Viewer", team: "support", dashboardRole: "viewer" },
  { id: "p-maya", kind: "person", email: "maya@acme.test", name: "Maya Developer", team: "checkout", dashboardRole: "developer" },
  { id: "p-bob", kind: "person", email: "bob@globex.test", name: "Bob Partner", team: "globex" },
  { id: "p-li", kind: "person", email: "li@initech.test", name: "Li Integrator", team: "initech" },
  { id: "s-web-frontend", kind: "service", name: "web-frontend", team: "checkout", ownerEmail: "maya@acme.test" },
  { id: "s-mobile-app", kind: "service", name: "mobile-app", team: "mobile", ownerEmail: "rui@acme.test" },
  { id: "s-search-indexer", kind: "service", name: "search-indexer", team: "search", ownerEmail: "ada@acme.test" },
  { id: "s-billing-worker", kind: "service", name: "billing-worker", team: "billing", ownerEmail: "maya@acme.test" },
  { id: "s-reports-cron", kind: "service", name: "reports-cron", team: "finance", ownerEmail: "vera@acme.test" },
  { id: "s-globex-batch", kind: "service", name: "globex-batch", team: "globex", ownerEmail: "bob@globex.test" },
  { id: "s-initech-sync", kind: "service", name: "initech-sync", team: "initech", ownerEmail: "li@initech.test" },
];

interface ApiSpec {
  slug: string;
  name: string;
  listenPath: string;
  endpoints: SimEndpoint[];
  /** Besides the slug (default: the slug only). */
  tags?: string[];
  /** Tyk's `detailed_tracing` (default on); off: its requests carry no trace id and reach no trace backend. */
  detailedTracing?: boolean;
  /** Tyk's `use_keyless` (default off): its requests carry no key, so no identity on the gateway's side. */
  keyless?: boolean;
}

export const API_SPECS: ApiSpec[] = [
  {
    slug: "orders", name: "Orders API", listenPath: "/orders/",
    endpoints: [
      { method: "GET", template: "/orders", medianMs: 70, sigma: 0.42 },
      { method: "GET", template: "/orders/{id}", medianMs: 35, sigma: 0.4 },
      { method: "POST", template: "/orders", medianMs: 140, sigma: 0.35 },
    ],
  },
  {
    slug: "payments", name: "Payments API", listenPath: "/payments/",
    endpoints: [
      { method: "GET", template: "/payments/{id}", medianMs: 45, sigma: 0.4 },
      { method: "POST", template: "/payments", medianMs: 220, sigma: 0.35 },
    ],
  },
  {
    slug: "reports", name: "Reports API", listenPath: "/reports/",
    endpoints: [
      { method: "GET", template: "/reports/export", medianMs: 2000, sigma: 0.2 },
      { method: "GET", template: "/reports/daily", medianMs: 300, sigma: 0.3 },
    ],
  },
  {
    slug: "catalog", name: "Catalog API", listenPath: "/catalog/",
    endpoints: [
      { method: "GET", template: "/catalog/products", medianMs: 40, sigma: 0.35 },
      { method: "GET", template: "/catalog/products/{id}", medianMs: 20, sigma: 0.35 },
      { method: "GET", template: "/catalog/search", medianMs: 90, sigma: 0.45 },
    ],
  },
  {
    slug: "users", name: "Users API", listenPath: "/users/",
    endpoints: [
      { method: "GET", template: "/users/me", medianMs: 15, sigma: 0.3 },
      { method: "GET", template: "/users/{id}", medianMs: 20, sigma: 0.35 },
      { method: "PATCH", template: "/users/{id}", medianMs: 60, sigma: 0.35 },
    ],
  },
  {
    // Created during the day (see events.ts): no traffic before that.
    slug: "inventory", name: "Inventory API", listenPath: "/inventory/",
    endpoints: [{ method: "GET", template: "/inventory/{sku}", medianMs: 30, sigma: 0.35 }],
  },
  // The gaps the coverage, environment and anomaly views must find: Shipping declares `prd` where
  // its traces say `production`; Ledger has detailed tracing off.
  {
    slug: "shipping", name: "Shipping API", listenPath: "/shipping/", tags: ["prd"],
    endpoints: [
      { method: "POST", template: "/shipping/labels", medianMs: 80, sigma: 0.3 },
      { method: "GET", template: "/shipping/rates", medianMs: 25, sigma: 0.3 },
    ],
  },
  {
    slug: "ledger", name: "Ledger API", listenPath: "/ledger/", detailedTracing: false,
    endpoints: [{ method: "GET", template: "/ledger/entries", medianMs: 50, sigma: 0.3 }],
  },
  // Keyless: parcel tracking is public, so its requests have no identity; its traces carry the
  // shop's `customer.id`, which no identity mapping reads.
  {
    slug: "tracking", name: "Tracking API", listenPath: "/tracking/", keyless: true,
    endpoints: [{ method: "GET", template: "/tracking/{id}", medianMs: 30, sigma: 0.3 }],
  },
];

interface PolicySpec {
  name: string;
  tier: SimPolicy["tier"];
  rate: number;
  per: number;
  quotaMax: number;
  apis: string[]; // slugs
}

export const POLICY_SPECS: PolicySpec[] = [
  { name: "free-tier", tier: "free", rate: 10, per: 1, quotaMax: 10000, apis: ["catalog", "orders"] },
  { name: "partner-silver", tier: "partner", rate: 50, per: 1, quotaMax: 500000, apis: ["catalog", "orders"] },
  { name: "partner-gold", tier: "partner", rate: 100, per: 1, quotaMax: -1, apis: ["orders", "catalog", "payments"] },
  { name: "internal-standard", tier: "internal", rate: 1000, per: 1, quotaMax: -1, apis: ["orders", "payments", "catalog", "users", "reports"] },
  { name: "internal-bulk", tier: "internal", rate: 5000, per: 1, quotaMax: -1, apis: ["orders", "catalog"] },
  { name: "kiosk-fleet", tier: "internal", rate: 20, per: 1, quotaMax: -1, apis: ["shipping", "ledger"] },
  { name: "logistics-internal", tier: "internal", rate: 500, per: 1, quotaMax: -1, apis: ["shipping", "ledger"] },
];

export interface KeySpec {
  alias: string;
  /** How traffic profiles find a key whose alias is empty. */
  ref?: string;
  identityId: string;
  policies: string[]; // policy names
  oauthClient?: string; // oauth client name
}

export const KEY_SPECS: KeySpec[] = [
  { alias: "web-frontend", identityId: "s-web-frontend", policies: ["internal-standard"] },
  { alias: "mobile-app", identityId: "s-mobile-app", policies: ["internal-standard"] },
  { alias: "search-indexer", identityId: "s-search-indexer", policies: ["internal-bulk"] },
  { alias: "billing-worker", identityId: "s-billing-worker", policies: ["internal-standard"] },
  { alias: "reports-cron", identityId: "s-reports-cron", policies: ["internal-standard"] },
  { alias: "globex-batch", identityId: "s-globex-batch", policies: ["partner-gold"] },
  { alias: "globex-portal", identityId: "p-bob", policies: ["partner-gold"], oauthClient: "globex-portal" },
  { alias: "initech-sync", identityId: "s-initech-sync", policies: ["partner-silver"] },
  { alias: "bob-dev", identityId: "p-bob", policies: ["free-tier"] },
  { alias: "trial-umbrella", identityId: "p-li", policies: ["free-tier"] },
  { alias: "trial-wayne", identityId: "p-li", policies: ["free-tier"] },
  // Keys nobody named: no alias, meta_data or tags, so no identity on either side.
  { alias: "", ref: "kiosk-1", identityId: "", policies: ["kiosk-fleet"] },
  { alias: "", ref: "kiosk-2", identityId: "", policies: ["kiosk-fleet"] },
  { alias: "", ref: "kiosk-3", identityId: "", policies: ["kiosk-fleet"] },
  { alias: "dispatch-service", identityId: "", policies: ["logistics-internal"] },
];

export const OAUTH_SPECS = [
  { name: "globex-portal", api: "orders", policy: "partner-gold", owner: "bob@globex.test", redirect: "https://portal.globex.test/callback" },
];

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Ids and a fresh key for one alias at one moment (rotations call it again with a new generation). */
export function makeKey(seed: number, orgId: string, spec: KeySpec, generation: number, at: Date,
  policyIds: string[], oauthClientId: string): SimKey {
  const rawKey = orgId + hex(rngFor(seed, "key", spec.ref ?? spec.alias, generation), 32);
  return {
    hash: sha256Hex(rawKey), rawKey, alias: spec.alias, ...(spec.ref ? { ref: spec.ref } : {}), identityId: spec.identityId, policyIds,
    oauthClientId, orgId, expires: 0, isInactive: false, tags: [], createdAt: at, updatedAt: at,
  };
}

export interface Baseline {
  orgId: string;
  state: WorldState;
  /** slug → api id, name → policy id, etc., for the event script. */
  apiBySlug: Map<string, SimApi>;
  policyByName: Map<string, SimPolicy>;
  /** APIs that the event script creates later; not in the baseline state. */
  pendingApis: SimApi[];
}

export function buildBaseline(seed: number, dayStart: Date): Baseline {
  const orgId = hex(rngFor(seed, "org"), 24);
  const created = new Date(dayStart.getTime() - 30 * 86_400_000);
  const apiBySlug = new Map<string, SimApi>();
  for (const spec of API_SPECS) {
    apiBySlug.set(spec.slug, {
      id: hex(rngFor(seed, "api", spec.slug), 32), dbId: hex(rngFor(seed, "api-db", spec.slug), 24),
      name: spec.name, slug: spec.slug, listenPath: spec.listenPath,
      targetUrl: `http://${spec.slug}.svc.cluster.local:8080/`, orgId, active: true, endpoints: spec.endpoints,
      tags: [spec.slug, ...(spec.tags ?? [])], version: 1, cacheTimeout: 60, enableDetailedRecording: false, createdAt: created, updatedAt: created,
      ...(spec.detailedTracing === false ? { detailedTracing: false } : {}),
      ...(spec.keyless ? { keyless: true } : {}),
    });
  }
  const policyByName = new Map<string, SimPolicy>();
  for (const spec of POLICY_SPECS) {
    policyByName.set(spec.name, {
      id: hex(rngFor(seed, "policy", spec.name), 24), name: spec.name, tier: spec.tier, rate: spec.rate, per: spec.per,
      quotaMax: spec.quotaMax, quotaRenewalRate: 3600, throttleInterval: -1, throttleRetryLimit: -1,
      accessRights: spec.apis.map((slug) => {
        const api = apiBySlug.get(slug)!;
        return { apiId: api.id, apiName: api.name, versions: ["Default"], allowedUrls: [] };
      }),
      tags: [spec.tier], active: true, orgId, createdAt: created, updatedAt: created,
    });
  }
  const oauthClients: SimOAuthClient[] = OAUTH_SPECS.map((spec) => ({
    clientId: hex(rngFor(seed, "oauth", spec.name), 32), name: spec.name, apiId: apiBySlug.get(spec.api)!.id,
    policyId: policyByName.get(spec.policy)!.id, redirectUri: spec.redirect, ownerEmail: spec.owner,
    createdAt: created, updatedAt: created,
  }));
  const keys = KEY_SPECS.map((spec) => {
    const client = spec.oauthClient ? oauthClients.find((c) => c.name === spec.oauthClient)!.clientId : "";
    return makeKey(seed, orgId, spec, 0, created, spec.policies.map((n) => policyByName.get(n)!.id), client);
  });
  const pendingApis = [apiBySlug.get("inventory")!];
  const apis = [...apiBySlug.values()].filter((a) => !pendingApis.includes(a));
  return { orgId, state: { apis, policies: [...policyByName.values()], keys, oauthClients }, apiBySlug, policyByName, pendingApis };
}
