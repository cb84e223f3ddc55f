// Incidents with a known cause, each where a real gateway differs from the demo world.
import type { KeyRef } from "../estate";
import { sha256 } from "../random";
import type { Scenario } from "../scenario";
import { step } from "../traffic";
import { LONG_AGO, T0, api, at, endpoint, newEstate, ordersStage, slowFrom, steadyCallers, target } from "./common";

export function deletedKey(): Scenario {
  const { estate, orgId, admin, orders, ep, steady } = ordersStage("deleted-key", { n: 5, rate: 30 });
  const partner = estate.policy(LONG_AGO, { name: "partner-bronze", rate: 20, per: 1, apis: [orders] });
  const scraper = estate.key(LONG_AGO, { alias: "stark-scraper", policies: [partner] });
  // The responders deleted the key at 09:32; Touchline was installed at 09:42 and never saw it.
  estate.deleteKey(at(20), scraper, { user: admin });
  return {
    name: "deleted-key", seed: 201, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(30), auditLog: true,
    story: "stark-scraper sends 60 slow scrapes a minute from 09:12 and is deleted at 09:32; Touchline, installed at 09:42, knows it only from Pump's rows",
    traffic: {
      callers: [...steady.callers, { name: "stark-scraper", key: (m) => (m >= 0 && m < 20 ? scraper : null), endpoint: ep, rate: () => 60, median: 1500 }],
    },
    endpoint: target(ep),
    expected: { culprit: { kind: "key", id: scraper.hash }, companions: [{ kind: "identity", label: "stark-scraper" }] },
  };
}

export function newOAuthClient(): Scenario {
  const { estate, orgId, admin, orders, ep, steady } = ordersStage("new-oauth-client", { n: 5, rate: 30 }, true);
  const mobile = estate.policy(LONG_AGO, { name: "oauth-mobile", rate: 50, per: 1, apis: [orders] });
  const client = estate.oauthClient(at(-8), orders, "umbrella-mobile", mobile, { user: admin });
  // Access tokens the gateway issues through the client's OAuth flow: keys the Dashboard never lists.
  const tokens: KeyRef[] = [1, 2, 3].map((i) => {
    const rawKey = `${orgId}token${i}umbrella`;
    return { hash: sha256(rawKey), rawKey, alias: "", policyIds: [mobile.id], oauthClientId: client.id };
  });
  return {
    name: "new-oauth-client", seed: 202, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "ada registers the umbrella-mobile OAuth client at 09:04; from 09:12 its three tokens send 30 slow requests a minute each",
    traffic: {
      callers: [
        ...steady.callers,
        ...tokens.map((k, i) => ({ name: `umbrella-token-${i + 1}`, key: (m: number) => (m >= 0 ? k : null), endpoint: ep, rate: () => 30, median: 900 })),
      ],
    },
    endpoint: target(ep),
    expected: {
      culprit: { kind: "access_change", changeKind: "oauth_client", action: "create", targetId: client.id },
      companions: [{ kind: "oauth_client", id: client.id }],
    },
  };
}

export function apiLimitRemoved(): Scenario {
  const { estate, orgId, admin } = newEstate("api-limit-removed");
  const exportsApi = api(estate, { name: "Exports API", listenPath: "/exports/", tracked: [{ method: "GET", path: "/{id}" }], globalRateLimit: { rate: 7, per: 1 } });
  const std = estate.policy(LONG_AGO, { name: "internal", rate: 100, per: 1, apis: [exportsApi] });
  const partner = estate.policy(LONG_AGO, { name: "partner-gold", rate: 100, per: 1, apis: [exportsApi] });
  const ep = endpoint(exportsApi, "GET", "/{id}");
  const steady = steadyCallers(estate, std, ep, 4, 100, 60, "internal");
  const batch = estate.key(LONG_AGO, { alias: "wayne-batch", policies: [partner] });
  // The API-level limit (7/s for the whole API) goes: rate 0 means none.
  estate.updateApi(at(-4), admin, exportsApi, (def) => { def.global_rate_limit = { rate: 0, per: 0 }; });
  return {
    name: "api-limit-removed", seed: 203, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "for months Tyk answered 429 to nearly all of wayne-batch's 300 attempts a minute (the API's global limit); ada removes the limit at 09:08 and its expensive exports get through",
    traffic: {
      callers: [...steady.callers, { name: "wayne-batch", key: batch, endpoint: ep, rate: () => 300, rejected: step(-4, 0.997, 0), median: 900, sigma: 0.4 }],
    },
    endpoint: target(ep),
    expected: {
      culprit: { kind: "access_change", changeKind: "api", action: "update", targetId: exportsApi.id },
      companions: [{ kind: "key", id: batch.hash }],
    },
  };
}

export function noAuditLog(): Scenario {
  const { estate, orgId, orders, ep, steady } = ordersStage("no-audit-log", { n: 5, rate: 40 });
  const gold = estate.policy(LONG_AGO, { name: "partner-gold", rate: 100, per: 60, apis: [orders] });
  const exporter = estate.key(LONG_AGO, { alias: "globex-export", policies: [gold] });
  // An OSS-style install: the Dashboard has no audit log, so Touchline learns of the raise at its next sync.
  estate.updatePolicy(at(-12), gold, { rate: 2000 });
  return {
    name: "no-audit-log", seed: 204, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: false,
    story: "without an audit log: partner-gold's limit rises 100 → 2000 per minute at 09:00 (seen by the 09:02 sync); globex-export's slow batch starts at 09:12",
    traffic: { callers: [...steady.callers, { name: "globex-export", key: (m) => (m >= 0 ? exporter : null), endpoint: ep, rate: () => 60, median: 1500 }] },
    endpoint: target(ep),
    expected: {
      culprit: { kind: "access_change", changeKind: "policy", action: "update", targetId: gold.id },
      companions: [{ kind: "key", id: exporter.hash }],
    },
  };
}

export function deploySlowdown(): Scenario {
  const { estate, orgId, ep, steady } = ordersStage("deploy-slowdown", { n: 6, rate: 30 });
  return {
    name: "deploy-slowdown", seed: 205, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true, traces: true,
    story: "orders-service v2.14.0 is deployed at 09:11 and every caller's requests take three times as long from then on",
    traffic: {
      callers: steady.callers,
      slowdown: slowFrom(-1, 3),
      version: (_svc, m) => (m < -1 ? "v2.13.4" : "v2.14.0"),
    },
    endpoint: target(ep),
    expected: { culprit: { kind: "deploy", targetId: "orders-service" }, companions: [] },
  };
}

export function auditOnlyChange(): Scenario {
  const { estate, orgId, admin, orders, ep, steady } = ordersStage("audit-only-change", { n: 4, rate: 100, median: 60 });
  const hooli = estate.policy(LONG_AGO, { name: "hooli", rate: 1, per: 60, apis: [orders] });
  const sync = estate.key(LONG_AGO, { alias: "hooli-sync", policies: [hooli] });
  estate.updatePolicy(at(-6), hooli, { rate: 300 }, { user: admin });
  return {
    name: "audit-only-change", seed: 206, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(10), auditLog: true,
    story: "hooli's limit (1 a minute) is raised at 09:06, before Touchline's first sync at 09:22: only the audit log knows; hooli-sync's 429s stop and its slow syncs get through",
    traffic: {
      callers: [...steady.callers, { name: "hooli-sync", key: sync, endpoint: ep, rate: () => 200, rejected: step(-6, 0.995, 0), median: 700, sigma: 0.4 }],
    },
    endpoint: target(ep),
    expected: {
      culprit: { kind: "access_change", changeKind: "policy", action: "update", targetId: hooli.id },
      companions: [{ kind: "key", id: sync.hash }],
    },
  };
}

export function oneMemberOfMany(): Scenario {
  const { estate, orgId, orders, ep, steady: internal } = ordersStage("one-member-of-many", { n: 3, rate: 50 });
  const gold = estate.policy(LONG_AGO, { name: "partner-gold", rate: 100, per: 1, apis: [orders] });
  const partners = steadyCallers(estate, gold, ep, 8, 15, 80, "gold-partner");
  const wayne = partners.keys[0];
  return {
    name: "one-member-of-many", seed: 207, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "one of partner-gold's eight keys, gold-partner-1, switches to an expensive query at 09:12 (and calls a little more often)",
    traffic: {
      callers: [
        ...internal.callers,
        ...partners.callers.slice(1),
        { name: wayne.alias, key: wayne, endpoint: ep, rate: step(0, 15, 40), median: step(0, 80, 1500) },
      ],
    },
    endpoint: target(ep),
    // The key first, its identity beside it; the policy is its context, not a suspect of its own.
    expected: { culprit: { kind: "key", id: wayne.hash }, companions: [{ kind: "identity", label: wayne.alias }] },
    checks: (a) => {
      const within = (a.suspects[0]?.evidence as { within?: { id: string; otherKeys: number } } | undefined)?.within;
      return within?.id === gold.id && within.otherKeys === 7 ? [] : [`the key does not name partner-gold as its context: ${JSON.stringify(within)}`];
    },
  };
}

export function tracklessApi(): Scenario {
  const { estate, orgId, admin } = newEstate("trackless-api");
  // The common case: an API definition that declares no track_endpoints (nor any other path list).
  const catalog = api(estate, { name: "Catalog API", listenPath: "/catalog/" });
  const std = estate.policy(LONG_AGO, { name: "standard", rate: 100, per: 1, apis: [catalog] });
  const ep = endpoint(catalog, "GET", "/items/{id}");
  const steady = steadyCallers(estate, std, ep, 5, 40);
  const crawler = estate.key(at(-5), { alias: "umbrella-crawler", policies: [std] }, { user: admin });
  return {
    name: "trackless-api", seed: 208, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true, acceptDerivedTemplates: true,
    story: "an API without tracked paths: the endpoint exists only as the template Touchline derives from observed paths; a new crawler key's slow requests start at 09:12",
    traffic: { callers: [...steady.callers, { name: "umbrella-crawler", key: (m) => (m >= 0 ? crawler : null), endpoint: ep, rate: () => 50, median: 1200 }] },
    endpoint: target(ep),
    expected: {
      culprit: { kind: "access_change", changeKind: "key", action: "create", targetId: crawler.hash },
      companions: [{ kind: "key", id: crawler.hash }],
    },
  };
}
