import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccessChange, AccessChangeKind, RateLimit } from "@/lib/analysis";
import { at, epochMs, readRows } from "./sql";

export interface EndpointRef {
  id: string;
  apiId: string;
}

/** Keys, policies (as on the requests) and OAuth clients seen on the endpoint's requests. */
export interface SeenCallers {
  keyHashes: ReadonlySet<string>;
  policyIds: ReadonlySet<string>;
  oauthClientIds: ReadonlySet<string>;
}

interface ChangeRow {
  id: string;
  kind: string;
  action: string;
  target_id: string;
  target_label: string;
  actor: string | null;
  changed_at: number;
  time_source: string;
  diff: unknown;
  api_ids: string[];
  key_hashes: string[];
  reaches_api: boolean;
  rate_before: number | null;
  per_before: number | null;
  rate_after: number | null;
  per_after: number | null;
}

// Tyk snapshots are free-form JSON: read a number only when it is one. `field` may be a path ("a.b.c").
const num = (snap: string, field: string) => {
  const path = `${snap}.snapshot #> '{${field.split(".").join(",")}}'`;
  return Prisma.raw(`CASE WHEN jsonb_typeof(${path}) = 'number' THEN (${path})::float8 END`);
};

/** A change of the window with whether it reaches the endpoint's API directly (see loadChangesAround). */
export interface ChangeAround {
  change: AccessChange;
  reachesApi: boolean;
}

/**
 * Access changes made in [from, to] that reach the endpoint: changes whose APIs include the
 * endpoint's API (policies, keys, OAuth clients, the API definition itself), changes to keys,
 * policies or OAuth clients seen on the endpoint's requests in the window's hours (from the
 * hour aggregates' callers, not the requests themselves), and OAuth clients
 * registered for its API. For policy and key updates the limits before and after come from the two
 * version snapshots, so "limit raised" does not depend on how the diff happened to be written.
 * (The investigation, which already holds the window's callers, uses loadChangesAround and
 * changesReaching instead of scanning request_records for them again.)
 */
export async function loadAccessChanges(db: PrismaClient, endpoint: EndpointRef, from: number, to: number): Promise<AccessChange[]> {
  const rows = await readRows<ChangeRow>(db, changesSql(endpoint, from, to, Prisma.sql`
    WITH seen AS (
      SELECT c.key_hash, c.oauth_client_id, c.policy_ids
      FROM request_callers c
      WHERE c.id IN (SELECT unnest(callers) FROM endpoint_hours
                     WHERE endpoint_id = ${endpoint.id} AND hour >= date_trunc('hour', ${at(from)}) AND hour <= ${at(to)})
    ), ctx AS (
      SELECT COALESCE(array_agg(DISTINCT key_hash) FILTER (WHERE key_hash IS NOT NULL), '{}') AS keys,
             COALESCE(array_agg(DISTINCT oauth_client_id) FILTER (WHERE oauth_client_id IS NOT NULL), '{}') AS clients,
             COALESCE((SELECT array_agg(DISTINCT p) FROM seen, unnest(seen.policy_ids) p), '{}') AS policies
      FROM seen
    )`, Prisma.sql`
        OR ac.key_hashes && ctx.keys
        OR (ac.kind = 'key' AND ac.target_id = ANY(ctx.keys))
        OR (ac.kind = 'policy' AND ac.target_id = ANY(ctx.policies))
        OR (ac.kind = 'oauth_client' AND ac.target_id = ANY(ctx.clients))`));
  return rows.map((r) => toChange(r));
}

/**
 * Every change of [from, to] that could reach the endpoint: those reaching its API, and all key,
 * policy and OAuth client changes, which reach it only through callers seen on its requests
 * (changesReaching). Needs no callers, so the investigation loads it beside its traffic: a
 * window holds a few dozen changes, while passing the traffic's thousands of caller ids made the
 * query six times slower.
 */
export async function loadChangesAround(db: PrismaClient, endpoint: EndpointRef, from: number, to: number): Promise<ChangeAround[]> {
  const rows = await readRows<ChangeRow>(db, changesSql(endpoint, from, to, Prisma.sql`WITH ctx AS (SELECT 1)`,
    Prisma.sql` OR ac.kind IN ('key', 'policy', 'oauth_client')`), { prepared: true, lookup: true });
  return rows.map((r) => ({ change: toChange(r), reachesApi: r.reaches_api }));
}

/** The changes of loadChangesAround that reach the endpoint: through its API or through a caller in `seen`. */
export function changesReaching(around: ChangeAround[], seen: SeenCallers): AccessChange[] {
  const { keyHashes: keys, policyIds: policies, oauthClientIds: clients } = seen;
  return around
    .filter(({ change: c, reachesApi }) =>
      reachesApi
      || c.keyHashes.some((k) => keys.has(k))
      || (c.kind === "key" && keys.has(c.targetId))
      || (c.kind === "policy" && policies.has(c.targetId))
      || (c.kind === "oauth_client" && clients.has(c.targetId)))
    .map(({ change }) => change);
}

// One statement for both loaders: `ctx` and `orCallers` add the callers' part of the filter.
function changesSql(endpoint: EndpointRef, from: number, to: number, ctx: Prisma.Sql, orCallers: Prisma.Sql): Prisma.Sql {
  const reachesApi = Prisma.sql`(ac.api_ids && ARRAY[${endpoint.apiId}]::text[]
        OR (ac.kind = 'api' AND ac.target_id = ${endpoint.apiId})
        OR (ac.kind = 'oauth_client' AND EXISTS (SELECT 1 FROM oauth_clients o WHERE o.id = ac.target_id AND o.api_id = ${endpoint.apiId})))`;
  return Prisma.sql`
    ${ctx}
    SELECT ac.id, ac.kind, ac.action, ac.target_id, ac.target_label, ac.actor, ${epochMs(Prisma.sql`ac.changed_at`)} AS changed_at,
           ac.time_source, ac.diff, ac.api_ids, ac.key_hashes, ${reachesApi} AS reaches_api,
           COALESCE(${num("pb", "rate")}, ${num("kb", "rate")}, ${num("ab", API_RATE)}) AS rate_before,
           COALESCE(${num("pb", "per")}, ${num("kb", "per")}, ${num("ab", API_PER)}) AS per_before,
           COALESCE(${num("pa", "rate")}, ${num("ka", "rate")}, ${num("aa", API_RATE)}) AS rate_after,
           COALESCE(${num("pa", "per")}, ${num("ka", "per")}, ${num("aa", API_PER)}) AS per_after
    FROM access_changes ac
    CROSS JOIN ctx
    LEFT JOIN policy_versions pa ON ac.kind = 'policy' AND ac.action = 'update' AND pa.policy_id = ac.target_id AND pa.version = ac.version
    LEFT JOIN policy_versions pb ON ac.kind = 'policy' AND ac.action = 'update' AND pb.policy_id = ac.target_id AND pb.version = ac.version - 1
    LEFT JOIN key_versions ka ON ac.kind = 'key' AND ac.action = 'update' AND ka.key_hash = ac.target_id AND ka.version = ac.version
    LEFT JOIN key_versions kb ON ac.kind = 'key' AND ac.action = 'update' AND kb.key_hash = ac.target_id AND kb.version = ac.version - 1
    LEFT JOIN api_versions aa ON ac.kind = 'api' AND ac.action = 'update' AND aa.api_id = ac.target_id AND aa.version = ac.version
    LEFT JOIN api_versions ab ON ac.kind = 'api' AND ac.action = 'update' AND ab.api_id = ac.target_id AND ab.version = ac.version - 1
    WHERE ac.changed_at >= ${at(from)} AND ac.changed_at <= ${at(to)}
      AND (${reachesApi}${orCallers})
    ORDER BY ac.changed_at, ac.id`;
}

/** An API's own limit in its definition snapshot (classic; rate 0 means none). */
const API_RATE = "api_definition.global_rate_limit.rate", API_PER = "api_definition.global_rate_limit.per";

function limit(rate: number | null, per: number | null): RateLimit | undefined {
  return rate != null && per != null && per > 0 ? { rate, per } : undefined;
}

function toChange(r: ChangeRow): AccessChange {
  const limitBefore = limit(r.rate_before, r.per_before);
  const limitAfter = limit(r.rate_after, r.per_after);
  return {
    id: r.id,
    kind: r.kind as AccessChangeKind,
    action: r.action,
    targetId: r.target_id,
    label: r.target_label,
    actor: r.actor,
    changedAt: Number(r.changed_at),
    timeSource: r.time_source === "audit" || r.time_source === "trace" ? r.time_source : "first_seen",
    diff: Array.isArray(r.diff) ? (r.diff as AccessChange["diff"]) : [],
    apiIds: r.api_ids,
    keyHashes: r.key_hashes,
    ...(limitBefore ? { limitBefore } : {}),
    ...(limitAfter ? { limitAfter } : {}),
  };
}

interface DeployRow {
  id: string;
  service: string;
  version: string;
  previous_version: string | null;
  deployed_at: number;
}

/**
 * Deploys in [from, to] of the upstream services the endpoint's traces show (endpoint_services), as
 * touches of kind "deploy": a new service.version, dated by the trace backend's first span of it.
 */
export async function loadDeploysAround(db: PrismaClient, endpointId: string, from: number, to: number): Promise<AccessChange[]> {
  const rows = await readRows<DeployRow>(db, Prisma.sql`
    SELECT d.id, d.service, d.version, d.previous_version, ${epochMs(Prisma.sql`d.deployed_at`)} AS deployed_at
    FROM service_deploys d JOIN endpoint_services es ON es.service = d.service AND es.endpoint_id = ${endpointId}
    WHERE d.deployed_at >= ${at(from)} AND d.deployed_at <= ${at(to)}
    ORDER BY d.deployed_at, d.id`, { prepared: true, lookup: true });
  return rows.map((r) => ({
    id: r.id, kind: "deploy", action: "deploy", targetId: r.service, label: `${r.service} ${r.version}`, actor: null,
    changedAt: Number(r.deployed_at), timeSource: "trace", diff: [{ path: "service.version", before: r.previous_version, after: r.version }],
    apiIds: [], keyHashes: [],
  }));
}
