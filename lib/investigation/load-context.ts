// Who the callers are (labels, identities, their policies at the time) and which traces show
// them: everything the answer needs to be readable, loaded for the ids the analysis saw.
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { GroupKind } from "@/lib/analysis";
import { at, readRows } from "./sql";

export interface IdentityInfo {
  id: string;
  name: string;
  email: string | null;
  kind: string;
  /**
   * Where Touchline learnt who it is: "dashboard" (a key, OAuth client or user the Dashboard lists)
   * or "pump_alias" (only the `alias` of Tyk Pump's records for a key the Dashboard never listed).
   */
  source: "dashboard" | "pump_alias";
}

export interface CallerContext {
  /** Display labels per group kind (the engine's `Labels`). */
  labels: Record<GroupKind, Record<string, string>>;
  identities: Record<string, IdentityInfo>;
  keyIdentity: Record<string, string | null>;
  clientIdentity: Record<string, string | null>;
}

export interface CallerIds {
  keyHashes: string[];
  identityIds: string[];
  policyIds: string[];
  oauthClientIds: string[];
}

/** A key's label never shows the key: its alias, else the last four characters Tyk let us keep. */
export function keyLabel(k: { keyHash: string; alias: string | null; last4: string | null }): string {
  return k.alias ?? (k.last4 ? `key …${k.last4}` : `key ${k.keyHash.slice(0, 8)}`);
}

interface CallerRow {
  keys: { key_hash: string; alias: string | null; last4: string | null; identity_id: string | null }[] | null;
  clients: { id: string; name: string | null; identity_id: string | null }[] | null;
  policies: { id: string; name: string }[] | null;
  people: IdentityInfo[] | null;
}

/**
 * Labels and identities of the given callers, in one round trip (keys, clients, policies and the
 * identities behind all of them). The investigation asks only for the callers its answer can show
 * (label-ids.ts): a busy endpoint's windows hold thousands, and labelling them all was a third of
 * its time. Keys the Dashboard never listed are named from Tyk Pump's records (pump_keys).
 */
export async function loadCallerContext(db: PrismaClient, ids: CallerIds): Promise<CallerContext> {
  const [row] = await readRows<CallerRow>(db, Prisma.sql`
    WITH k AS (
      SELECT k.key_hash, k.alias, k.last4, k.identity_id FROM keys k WHERE k.key_hash = ANY(${ids.keyHashes}::text[])
      UNION ALL
      SELECT p.key_hash, p.alias, NULL, p.identity_id FROM pump_keys p
      WHERE p.key_hash = ANY(${ids.keyHashes}::text[]) AND NOT EXISTS (SELECT 1 FROM keys k2 WHERE k2.key_hash = p.key_hash)
    ), c AS (
      SELECT id, name, identity_id FROM oauth_clients WHERE id = ANY(${ids.oauthClientIds}::text[])
    ), who AS (
      SELECT unnest(${ids.identityIds}::text[]) AS id UNION SELECT identity_id FROM k UNION SELECT identity_id FROM c
    )
    SELECT (SELECT json_agg(k) FROM k) AS keys,
           (SELECT json_agg(c) FROM c) AS clients,
           (SELECT json_agg(json_build_object('id', p.id, 'name', p.name)) FROM policies p WHERE p.id = ANY(${ids.policyIds}::text[])) AS policies,
           (SELECT json_agg(json_build_object('id', i.id, 'name', i.name, 'email', i.email, 'kind', i.kind,
             'source', CASE WHEN NOT EXISTS (SELECT 1 FROM keys k3 WHERE k3.identity_id = i.id)
                             AND EXISTS (SELECT 1 FROM pump_keys p3 WHERE p3.identity_id = i.id) THEN 'pump_alias' ELSE 'dashboard' END))
             FROM identities i WHERE i.id IN (SELECT id FROM who)) AS people`, { prepared: true, lookup: true });
  const keys = row?.keys ?? [], clients = row?.clients ?? [], policies = row?.policies ?? [], people = row?.people ?? [];
  return {
    labels: {
      key: Object.fromEntries(keys.map((k) => [k.key_hash, keyLabel({ keyHash: k.key_hash, alias: k.alias, last4: k.last4 })])),
      identity: Object.fromEntries(people.map((p) => [p.id, p.name])),
      policy: Object.fromEntries(policies.map((p) => [p.id, p.name])),
      oauth_client: Object.fromEntries(clients.map((c) => [c.id, c.name ?? c.id])),
    },
    identities: Object.fromEntries(people.map((p) => [p.id, p])),
    keyIdentity: Object.fromEntries(keys.map((k) => [k.key_hash, k.identity_id])),
    clientIdentity: Object.fromEntries(clients.map((c) => [c.id, c.identity_id])),
  };
}

/**
 * The keys' policies as of `asOf`: `apply_policies` of the newest version observed by then, else
 * the key's current policies (keys synced only once), else the policies Tyk Pump's records tagged
 * a key the Dashboard never listed with. Only for request records stored without policies (the
 * gateway tagged none), which the engine then fills in.
 */
export async function loadKeyPoliciesAsOf(db: PrismaClient, keyHashes: string[], asOf: number): Promise<Record<string, string[]>> {
  if (!keyHashes.length) return {};
  const rows = await readRows<{ key_hash: string; as_of: string[] | null }>(db, Prisma.sql`
    SELECT k.key_hash, COALESCE((
             SELECT ARRAY(SELECT jsonb_array_elements_text(kv.snapshot->'apply_policies'))
             FROM key_versions kv
             WHERE kv.key_hash = k.key_hash AND kv.observed_at <= ${at(asOf)} AND jsonb_typeof(kv.snapshot->'apply_policies') = 'array'
             ORDER BY kv.version DESC LIMIT 1), k.policy_ids) AS as_of
    FROM keys k WHERE k.key_hash = ANY(${keyHashes}::text[])
    UNION ALL
    SELECT p.key_hash, p.policy_ids FROM pump_keys p
    WHERE p.key_hash = ANY(${keyHashes}::text[]) AND cardinality(p.policy_ids) > 0 AND NOT EXISTS (SELECT 1 FROM keys k2 WHERE k2.key_hash = p.key_hash)`, { lookup: true });
  return Object.fromEntries(rows.filter((r) => r.as_of).map((r) => [r.key_hash, r.as_of!]));
}

export interface ExemplarGroup {
  kind: GroupKind;
  id: string;
}

/** A trace to open: the span id is what Lightstep's UI needs to deep-link (null when we hold no span of that trace). */
export interface ExemplarRef {
  traceId: string;
  spanId: string | null;
}

const groupKey = (kind: string, id: string) => `${kind}:${id}`;

interface StoredExemplarRow {
  trace_id: string;
  span_id: string;
  key_hash: string | null;
  identity_id: string | null;
}

/** The trace backend's exemplars of one endpoint and window, slowest first; `complete` unless capped. */
export interface StoredExemplars {
  endpointId: string;
  from: number;
  to: number;
  rows: StoredExemplarRow[];
  complete: boolean;
}

const STORED_CAP = 2000;
const STORED_LIMIT = 1000;

/**
 * The stored exemplars of [from, to), loaded before the groups to show are known (the investigation
 * runs it beside its context queries), so choosing the shown groups' traces costs no round trip.
 * Capped: when the window holds more, loadExemplars asks for the shown groups' own.
 */
export async function loadStoredExemplars(db: PrismaClient, endpointId: string, from: number, to: number): Promise<StoredExemplars> {
  const rows = await readRows<StoredExemplarRow>(db, Prisma.sql`
    SELECT trace_id, span_id, key_hash, identity_id FROM exemplars
    WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}
      AND (key_hash IS NOT NULL OR identity_id IS NOT NULL)
    ORDER BY duration_ms DESC
    LIMIT ${Prisma.raw(String(STORED_CAP))}`, { prepared: true, lookup: true });
  return { endpointId, from, to, rows, complete: rows.length < STORED_CAP };
}

/**
 * Up to `perGroup` traces of each group's slowest requests in [from, to): the trace backend's
 * exemplars first, topped up from the request records' trace ids, whose span ids are then looked
 * up among the exemplars we hold (any span of the trace opens it). `stored` (loadStoredExemplars of
 * the same endpoint and window) saves the first query when it holds the whole window. `callerIds`
 * (every request_callers id whose requests can fall in the groups, from the traffic cells) lets the
 * fallback read only those callers' requests instead of the whole window's.
 */
export async function loadExemplars(
  db: PrismaClient, endpointId: string, from: number, to: number, groups: ExemplarGroup[], perGroup = 3, stored?: StoredExemplars,
  callerIds?: number[],
): Promise<Map<string, ExemplarRef[]>> {
  const out = new Map<string, ExemplarRef[]>();
  if (!groups.length) return out;
  const idsOf = (kind: GroupKind) => [...new Set(groups.filter((g) => g.kind === kind).map((g) => g.id))];
  const keys = idsOf("key"), people = idsOf("identity"), clients = idsOf("oauth_client"), policies = idsOf("policy");
  const add = (kind: string, id: string | null, traceId: string, spanId: string | null) => {
    if (!id) return;
    const list = out.get(groupKey(kind, id)) ?? [];
    if (list.length < perGroup && !list.some((e) => e.traceId === traceId)) list.push({ traceId, spanId });
    out.set(groupKey(kind, id), list);
  };

  const usable = stored?.complete && stored.endpointId === endpointId && stored.from === from && stored.to === to;
  const traced = usable
    ? stored.rows
    : await readRows<StoredExemplarRow>(db, Prisma.sql`
    SELECT trace_id, span_id, key_hash, identity_id FROM exemplars
    WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}
      AND (key_hash = ANY(${keys}::text[]) OR identity_id = ANY(${people}::text[]))
    ORDER BY duration_ms DESC
    LIMIT ${Prisma.raw(String(STORED_LIMIT))}`);
  const keySet = new Set(keys), peopleSet = new Set(people);
  for (const e of traced) {
    if (e.key_hash && keySet.has(e.key_hash)) add("key", e.key_hash, e.trace_id, e.span_id);
    if (e.identity_id && peopleSet.has(e.identity_id)) add("identity", e.identity_id, e.trace_id, e.span_id);
  }

  const full = (g: ExemplarGroup) => (out.get(groupKey(g.kind, g.id))?.length ?? 0) >= perGroup;
  if (groups.every(full)) return out;
  // The slowest traced requests of each group, with the earliest span we hold of each trace (any
  // span opens it; the trace_id index finds it), in one round trip. Days past the raw horizon have
  // their sample (request_samples), which keeps every tail request.
  const tracedRange = Prisma.sql`endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)} AND trace_id IS NOT NULL
    ${callerIds ? Prisma.sql`AND caller_id = ANY(${callerIds}::int4[])` : Prisma.empty}`;
  const fallback = await readRows<{ kind: string; gid: string; trace_id: string; span_id: string | null }>(db, Prisma.sql`
    WITH r AS MATERIALIZED (
      SELECT c.key_hash, c.identity_id, c.oauth_client_id, c.policy_ids, rr.trace_id, rr.latency_ms
      FROM (SELECT caller_id, trace_id, latency_ms FROM request_records WHERE ${tracedRange}
            UNION ALL SELECT caller_id, trace_id, latency_ms FROM request_samples WHERE ${tracedRange}) rr
      JOIN request_callers c ON c.id = rr.caller_id
    ), g AS (
      SELECT 'key' AS kind, key_hash AS gid, trace_id, latency_ms FROM r WHERE key_hash = ANY(${keys}::text[])
      UNION ALL SELECT 'identity', identity_id, trace_id, latency_ms FROM r WHERE identity_id = ANY(${people}::text[])
      UNION ALL SELECT 'oauth_client', oauth_client_id, trace_id, latency_ms FROM r WHERE oauth_client_id = ANY(${clients}::text[])
      UNION ALL SELECT 'policy', p, trace_id, latency_ms FROM r, unnest(r.policy_ids) p WHERE p = ANY(${policies}::text[])
    ), ranked AS (
      SELECT kind, gid, trace_id, row_number() OVER (PARTITION BY kind, gid ORDER BY latency_ms DESC, trace_id) AS rn FROM g
    )
    SELECT ranked.kind, ranked.gid, ranked.trace_id, span.span_id
    FROM ranked
    LEFT JOIN LATERAL (
      SELECT e.span_id FROM exemplars e WHERE e.trace_id = ranked.trace_id ORDER BY e.ts, e.span_id LIMIT 1
    ) span ON true
    WHERE ranked.rn <= ${Prisma.raw(String(Math.max(1, Math.floor(perGroup)) * 2))}
    ORDER BY ranked.kind, ranked.gid, ranked.rn`);
  for (const r of fallback) add(r.kind, r.gid, r.trace_id, r.span_id);
  return out;
}

export function exemplarsOf(map: Map<string, ExemplarRef[]>, kind: GroupKind, id: string): ExemplarRef[] {
  return map.get(groupKey(kind, id)) ?? [];
}
