// An endpoint whose latency bends under load, written straight with SQL for the limits tests:
// four steady keys (policy "Standard", 100 per 60 s) at 3 req/min each, and a partner key
// (policy "Partner Gold", 6000 per 60 s) at 10–19 req/min that floods three times a day, ramping
// to 140 req/min over 20 minutes. p99 is 100 ms up to 60 req/min in all and rises by 3 × 100 ms
// per further 60 req/min, so at the default objective (2 × baseline ≈ 200 ms) the capacity is
// 80 req/min (1.33 req/s).
import type pg from "pg";
import { callerIdsFor } from "@/lib/sync/analytics/callers";
import { rebuildAggregates } from "@/lib/sync/analytics/rebuild-aggregates";

export interface LoadScenario {
  apiId: string;
  endpointId: string;
  /** First and last (exclusive) minute of the requests, epoch ms. */
  from: number;
  to: number;
  floodKey: string;
  steadyKeys: string[];
}

const MIN = 60_000;
const ts = (ms: number) => `(to_timestamp(${ms} / 1000.0) AT TIME ZONE 'UTC')`;

export async function seedLoadScenario(client: pg.Client, o: { to: number; days?: number; seed?: number }): Promise<LoadScenario> {
  const apiId = "api-shop", endpointId = "ep-orders";
  const minutes = (o.days ?? 2) * 1440;
  const from = o.to - minutes * MIN;
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  await q(`INSERT INTO apis (id, name, listen_path, definition) VALUES ($1, 'Shop API', '/shop/', '{}')`, [apiId]);
  await q(`INSERT INTO endpoints (id, api_id, method, path, operation) VALUES ($1, $2, 'GET', '/shop/orders/{id}', 'GET /orders/{id}')`, [endpointId, apiId]);
  const rights = (rate: number) => JSON.stringify({ _id: "x", name: "x", rate, per: 60, access_rights: { [apiId]: { api_id: apiId, api_name: "Shop API", versions: ["Default"] } } });
  await q(`INSERT INTO policies (id, name, rate, per, api_ids, snapshot, version) VALUES
    ('pol-gold', 'Partner Gold', 6000, 60, ARRAY[$1], $2::jsonb, 2), ('pol-std', 'Standard', 100, 60, ARRAY[$1], $3::jsonb, 1)`, [apiId, rights(6000), rights(100)]);
  const steadyKeys = ["kh-std-0", "kh-std-1", "kh-std-2", "kh-std-3"];
  await q(`INSERT INTO keys (key_hash, last4, alias, policy_ids, api_ids, snapshot) VALUES ('kh-partner', 'p4rt', 'partner-sync', '{pol-gold}', ARRAY[$1], '{}')`, [apiId]);
  await q(`INSERT INTO keys (key_hash, last4, policy_ids, api_ids, snapshot) SELECT k, right(k, 4), '{pol-std}', ARRAY[$1], '{}' FROM unnest($2::text[]) k`, [apiId, steadyKeys]);
  const callers = await callerIdsFor(client, [
    ...steadyKeys.map((keyHash) => ({ keyHash, identityId: null, oauthClientId: null, policyIds: ["pol-std"] })),
    { keyHash: "kh-partner", identityId: null, oauthClientId: null, policyIds: ["pol-gold"] },
  ]);
  await seedEndpointLoad(client, { endpointId, apiId, from, minutes, steadyCallers: callers.slice(0, 4), partnerCaller: callers[4], seed: o.seed });
  await rebuildAggregates(client);
  return { apiId, endpointId, from, to: o.to, floodKey: "kh-partner", steadyKeys };
}

/**
 * The scenario's requests on an existing endpoint (callers are request_callers ids): four steady
 * callers at 3 req/min and a partner at 10–19 req/min flooding to 140 req/min in minutes 300–319 of
 * every 480. The caller rebuilds the aggregates.
 */
export async function seedEndpointLoad(
  client: pg.Client, o: { endpointId: string; apiId: string; from: number; minutes: number; steadyCallers: number[]; partnerCaller: number; seed?: number; path?: string },
): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  const { from, minutes, endpointId, apiId } = o;
  await q(`SELECT setseed($1::float8)`, [((o.seed ?? 7) % 1000) / 1000]);
  // Per minute: the partner's count (a flood in minutes 300–319 of every 480), the total, and the latency it brings.
  await q(`
    WITH m AS (SELECT m, CASE WHEN m % 480 BETWEEN 300 AND 319 THEN 20 + 6 * (m % 480 - 300) ELSE 10 + m % 10 END AS partner
               FROM generate_series(0, $1::int - 1) m),
         load AS (SELECT m, partner, 100.0 * (1 + 3 * greatest(0, partner + 12 - 60) / 60.0) AS l99 FROM m),
         reqs AS (
           SELECT m, l99, ($2::int[])[k + 1] AS caller, j, 3 AS per_min FROM load, generate_series(0, 3) k, generate_series(0, 2) j
           UNION ALL
           SELECT m, l99, $3::int, j, partner FROM load, LATERAL generate_series(0, partner - 1) j)
    INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, caller_id)
    SELECT row_number() OVER (), ${ts(from)} + make_interval(mins => m, secs => (j * 59.0 / per_min)),
           $4, $5, 'GET', $6, 200, greatest(1, round(l99 * (0.4 + 0.6 * random())))::int, caller
    FROM reqs`, [minutes, o.steadyCallers, o.partnerCaller, endpointId, apiId, o.path ?? "/shop/orders/1"]);
}
