// The day's change script: every access change between T−24h and T, each with the state
// mutation it causes. Times are offsets before the anchor T.
import { KEY_SPECS, makeKey, type Baseline, type KeySpec } from "./catalog";
import { hex, rngFor } from "./prng";
import type { ChangeEvent, SimApi, SimKey, SimPolicy, WorldState } from "./types";

export type Mutation = (state: WorldState) => WorldState;
export interface ScriptedEvent { event: ChangeEvent; apply: Mutation }

const MIN = 60_000;

function replacePolicy(state: WorldState, id: string, patch: (p: SimPolicy) => SimPolicy): WorldState {
  return { ...state, policies: state.policies.map((p) => (p.id === id ? patch(p) : p)) };
}
function replaceApi(state: WorldState, id: string, patch: (a: SimApi) => SimApi): WorldState {
  return { ...state, apis: state.apis.map((a) => (a.id === id ? patch(a) : a)) };
}
function replaceKey(state: WorldState, hash: string, patch: (k: SimKey) => SimKey): WorldState {
  return { ...state, keys: state.keys.map((k) => (k.hash === hash ? patch(k) : k)) };
}
function keyByAlias(state: WorldState, alias: string): SimKey {
  const key = state.keys.find((k) => k.alias === alias);
  if (!key) throw new Error(`world script: no key with alias ${alias}`);
  return key;
}

export const EXTRA_KEY_SPECS: KeySpec[] = [{ alias: "maya-dev", identityId: "p-maya", policies: ["free-tier"] }];

/**
 * Builds the scripted events in time order. `state0` is the baseline; the script resolves
 * targets (e.g. the current mobile-app key) against the state as it evolves, so each event's
 * targetId and URL are correct at its moment.
 */
export function buildScript(seed: number, anchor: Date, base: Baseline): ScriptedEvent[] {
  const T = anchor.getTime();
  const at = (minutesBefore: number, extraSeconds = 0) => new Date(T - minutesBefore * MIN + extraSeconds * 1000);
  const pol = (name: string) => base.policyByName.get(name)!;
  const api = (slug: string) => base.apiBySlug.get(slug)!;
  const out: ScriptedEvent[] = [];
  let state = base.state;
  let n = 0;
  const push = (e: Omit<ChangeEvent, "id">, apply: Mutation) => {
    const event: ChangeEvent = { id: `evt-${String(++n).padStart(3, "0")}`, ...e };
    state = apply(state);
    out.push({ event, apply });
  };

  // Background changes through the day.
  {
    const when = at(23 * 60 + 10);
    const spec = EXTRA_KEY_SPECS[0];
    const key = makeKey(seed, base.orgId, spec, 0, when, [pol("free-tier").id], "");
    push({ at: when, actor: "maya@acme.test", kind: "key", action: "create", targetId: key.hash, method: "POST",
      url: "/api/keys", description: "Created key maya-dev (free-tier)" }, (s) => ({ ...s, keys: [...s.keys, key] }));
  }
  {
    const when = at(21 * 60);
    const id = api("catalog").id;
    push({ at: when, actor: "ada@acme.test", kind: "api", action: "update", targetId: id, method: "PUT",
      url: `/api/apis/${api("catalog").id}`, description: "Catalog API: cache timeout 60s → 300s" },
    (s) => replaceApi(s, id, (a) => ({ ...a, cacheTimeout: 300, version: a.version + 1, updatedAt: when })));
  }
  {
    const when = at(19 * 60 + 30);
    const hash = keyByAlias(state, "trial-wayne").hash;
    push({ at: when, actor: "rui@acme.test", kind: "key", action: "revoke", targetId: hash, method: "DELETE",
      url: `/api/keys/${hash}`, description: "Revoked key trial-wayne" },
    (s) => ({ ...s, keys: s.keys.filter((k) => k.hash !== hash) }));
  }
  {
    const when = at(17 * 60);
    const id = pol("free-tier").id;
    push({ at: when, actor: "ada@acme.test", kind: "policy", action: "update", targetId: id, method: "PUT",
      url: `/api/portal/policies/${id}`, description: "free-tier: quota 10000 → 20000" },
    (s) => replacePolicy(s, id, (p) => ({ ...p, quotaMax: 20000, updatedAt: when })));
  }
  {
    const when = at(16 * 60);
    const inventory = { ...api("inventory"), createdAt: when, updatedAt: when };
    push({ at: when, actor: "ada@acme.test", kind: "api", action: "create", targetId: inventory.id, method: "POST",
      url: "/api/apis", description: "Created Inventory API (/inventory/)" }, (s) => ({ ...s, apis: [...s.apis, inventory] }));
  }
  {
    const when = at(15 * 60 + 50);
    const id = pol("internal-standard").id;
    const inv = api("inventory");
    push({ at: when, actor: "ada@acme.test", kind: "policy", action: "update", targetId: id, method: "PUT",
      url: `/api/portal/policies/${id}`, description: "internal-standard: granted access to Inventory API" },
    (s) => replacePolicy(s, id, (p) => ({ ...p, updatedAt: when,
      accessRights: [...p.accessRights, { apiId: inv.id, apiName: inv.name, versions: ["Default"], allowedUrls: [] }] })));
  }
  {
    const when = at(12 * 60);
    const catalog = api("catalog");
    const client = { clientId: hex(rngFor(seed, "oauth", "initech-portal"), 32),
      name: "initech-portal", apiId: catalog.id, policyId: pol("partner-silver").id,
      redirectUri: "https://portal.initech.test/callback", ownerEmail: "li@initech.test", createdAt: when, updatedAt: when };
    push({ at: when, actor: "maya@acme.test", kind: "oauth_client", action: "create", targetId: client.clientId, method: "POST",
      url: `/api/apis/oauth/${catalog.id}`, description: "Created OAuth client initech-portal on Catalog API" },
    (s) => ({ ...s, oauthClients: [...s.oauthClients, client] }));
  }
  const platinumId = `${pol("partner-gold").id.slice(0, 16)}9a7e0001`;
  {
    const when = at(9 * 60 + 20);
    const gold = pol("partner-gold");
    const platinum: SimPolicy = { ...gold, id: platinumId, name: "partner-platinum", rate: 500, createdAt: when, updatedAt: when };
    push({ at: when, actor: "ada@acme.test", kind: "policy", action: "create", targetId: platinumId, method: "POST",
      url: "/api/portal/policies", description: "Created policy partner-platinum (rate 500/s)" },
    (s) => ({ ...s, policies: [...s.policies, platinum] }));
  }
  {
    const when = at(6 * 60);
    const hash = keyByAlias(state, "billing-worker").hash;
    push({ at: when, actor: "rui@acme.test", kind: "key", action: "update", targetId: hash, method: "PUT",
      url: `/api/keys/${hash}`, description: "billing-worker key: added tag team-billing" },
    (s) => replaceKey(s, hash, (k) => ({ ...k, tags: [...k.tags, "team-billing"], updatedAt: when })));
  }
  {
    const when = at(4 * 60);
    const users = api("users");
    push({ at: when, actor: "maya@acme.test", kind: "api", action: "update", targetId: users.id, method: "PUT",
      url: `/api/apis/${users.id}`, description: "Users API: enabled detailed recording" },
    (s) => replaceApi(s, users.id, (a) => ({ ...a, enableDetailedRecording: true, version: a.version + 1, updatedAt: when })));
  }

  // Decoy: rui rotates the mobile-app key 5 minutes before the culprit edit.
  {
    const when = at(130);
    const old = keyByAlias(state, "mobile-app");
    const spec = KEY_SPECS.find((k) => k.alias === "mobile-app")!;
    const fresh = makeKey(seed, base.orgId, spec, 1, when, old.policyIds, old.oauthClientId);
    push({ at: when, actor: "rui@acme.test", kind: "key", action: "rotate", targetId: fresh.hash, method: "POST",
      url: "/api/keys", description: "Rotated key mobile-app: new key created" }, (s) => ({ ...s, keys: [...s.keys, fresh] }));
    const revokedAt = at(130, 30);
    push({ at: revokedAt, actor: "rui@acme.test", kind: "key", action: "revoke", targetId: old.hash, method: "DELETE",
      url: `/api/keys/${old.hash}`, description: "Rotated key mobile-app: old key revoked" },
    (s) => ({ ...s, keys: s.keys.filter((k) => k.hash !== old.hash) }));
  }
  // The culprit: partner-gold 100 → 2000 requests/s.
  {
    const when = at(125);
    const id = pol("partner-gold").id;
    push({ at: when, actor: "ada@acme.test", kind: "policy", action: "update", targetId: id, method: "PUT",
      url: `/api/portal/policies/${id}`, description: "partner-gold: rate 100/s → 2000/s" },
    (s) => replacePolicy(s, id, (p) => ({ ...p, rate: 2000, updatedAt: when })));
  }
  {
    const when = at(100);
    const reports = api("reports");
    push({ at: when, actor: "maya@acme.test", kind: "api", action: "update", targetId: reports.id, method: "PUT",
      url: `/api/apis/${reports.id}`, description: "Reports API: upstream timeout 30s → 60s" },
    (s) => replaceApi(s, reports.id, (a) => ({ ...a, version: a.version + 1, updatedAt: when })));
  }
  {
    const when = at(50);
    push({ at: when, actor: "rui@acme.test", kind: "policy", action: "delete", targetId: platinumId, method: "DELETE",
      url: `/api/portal/policies/${platinumId}`, description: "Deleted policy partner-platinum" },
    (s) => ({ ...s, policies: s.policies.filter((p) => p.id !== platinumId) }));
  }
  {
    const when = at(20);
    const id = pol("partner-silver").id;
    push({ at: when, actor: "ada@acme.test", kind: "policy", action: "update", targetId: id, method: "PUT",
      url: `/api/portal/policies/${id}`, description: "partner-silver: quota 500000 → 750000" },
    (s) => replacePolicy(s, id, (p) => ({ ...p, quotaMax: 750000, updatedAt: when })));
  }
  return out;
}
