// Shared scaffolding of the library's scenarios: an org with an admin, an API with its upstream
// service, and steady callers that keep an endpoint busy with ordinary, fast requests.
import { Estate, type ApiRef, type ApiSpec, type KeyRef, type PolicyRef } from "../estate";
import { hexOf } from "../random";
import type { CallerSpec, EndpointSpec } from "../traffic";

export const MINUTE = 60_000;
/** 09:12 UTC on a weekday: every scenario's incident starts at the same wall time. */
export const T0 = Date.UTC(2026, 10, 19, 9, 12);
/** Objects that predate the data: created a month before the incident. */
export const LONG_AGO = T0 - 30 * 24 * 60 * MINUTE;
export const at = (minutes: number) => T0 + minutes * MINUTE;

export function newEstate(name: string): { estate: Estate; orgId: string; admin: string } {
  const orgId = hexOf(`org/${name}`, 24);
  const estate = new Estate(orgId, name);
  const admin = estate.user("ada@acme.test", "Ada", "Admin");
  estate.user("rui@acme.test", "Rui", "Responder");
  return { estate, orgId, admin };
}

/** The upstream service behind a listen path, as the trace backend names it ("/orders/" → "orders-service"). */
export function serviceOf(listenPath: string): string {
  return `${listenPath.replace(/^\/+|\/+$/g, "").replace(/\//g, "-") || "root"}-service`;
}

export function api(estate: Estate, spec: ApiSpec, created = LONG_AGO): ApiRef {
  return estate.api(created, spec);
}

/** `rel` is relative to the listen path, as track_endpoints writes it. */
export function endpoint(a: ApiRef, method: string, rel: string): EndpointSpec {
  const template = `/${a.listenPath.replace(/^\/+|\/+$/g, "")}/${rel.replace(/^\/+/, "")}`.replace(/\/+$/, "");
  return { api: a, method, template, service: serviceOf(a.listenPath) };
}

/** `n` keys under `policy`, each calling `ep` at `rate`/min with fast requests (median `median` ms). */
export function steadyCallers(
  estate: Estate, policy: PolicyRef, ep: EndpointSpec, n: number, rate: number, median = 80, prefix = "storefront",
): { callers: CallerSpec[]; keys: KeyRef[] } {
  const keys = Array.from({ length: n }, (_, i) => estate.key(LONG_AGO, { alias: `${prefix}-${i + 1}`, policies: [policy] }));
  return { keys, callers: keys.map((k) => ({ name: k.alias, key: k, endpoint: ep, rate: () => rate, median })) };
}

/** The endpoint a scenario investigates, as Touchline stores it. */
export const target = (ep: EndpointSpec) => ({ apiId: ep.api.id, method: ep.method, path: ep.template });

/** Everyone on `service` slower by `factor` from minute `from` on. */
export const slowFrom = (from: number, factor: number, service?: string) => (m: number, _load: number, svc: string) =>
  m >= from && (!service || svc === service) ? factor : 1;

/**
 * The usual stage: an Orders API tracking GET /{id}, a "standard" policy, and `steady.n` callers
 * under it at `steady.rate` requests a minute (fast, median `steady.median` ms).
 */
export function ordersStage(name: string, steady: { n: number; rate: number; median?: number; prefix?: string }, oauth = false) {
  const { estate, orgId, admin } = newEstate(name);
  const orders = api(estate, { name: "Orders API", listenPath: "/orders/", tracked: [{ method: "GET", path: "/{id}" }], oauth });
  const std = estate.policy(LONG_AGO, { name: "standard", rate: 100, per: 1, apis: [orders] });
  const ep = endpoint(orders, "GET", "/{id}");
  return { estate, orgId, admin, orders, std, ep, steady: steadyCallers(estate, std, ep, steady.n, steady.rate, steady.median, steady.prefix) };
}
