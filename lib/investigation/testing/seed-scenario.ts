// A seeded "culprit key surge after a policy change" world, written straight with SQL so tests and
// the benchmark can make hundreds of thousands of request records in seconds.
// Story: policy "Partner Gold" is raised from 60 to 6000 req/min twelve minutes before t0; the
// batch exporter's key under it (slow: 1–3 s per request, rare before) then floods GET /orders/{id}.
// Decoys: a key rotation on a steady caller 30 minutes before, a change to another API, and a
// change older than any look-back.
import type pg from "pg";
import { callerIdsFor } from "@/lib/sync/analytics/callers";
import { rebuildAggregates } from "@/lib/sync/analytics/rebuild-aggregates";

export interface ScenarioOptions {
  /** Spike start (epoch ms, whole minute). */
  t0: number;
  apiId?: string;
  endpointId?: string;
  minutesBefore?: number;
  minutesAfter?: number;
  steadyKeys?: number;
  /** Requests per minute of each steady key. */
  steadyRate?: number;
  batchRateAfter?: number;
  /** Minutes after t0 when the batch flood stops (the spike recovers); default: it never does. */
  batchStopsAfter?: number;
  /** Extra endpoints of the same API with steady traffic only (benchmark noise). */
  otherEndpoints?: number;
  seed?: number;
}

export interface Scenario {
  apiId: string;
  endpointId: string;
  t0: number;
  policyChangeId: string;
  rotationChangeId: string;
  batchKey: string;
  batchIdentity: string;
  rows: number;
}

const MIN = 60_000;
const ts = (ms: number) => `(to_timestamp(${ms} / 1000.0) AT TIME ZONE 'UTC')`;
// A distinct int8 source id from a text one (64 bits of its md5).
const sourceId = (text: string) => `('x' || left(md5(${text}), 16))::bit(64)::int8`;

export async function seedScenario(client: pg.Client, o: ScenarioOptions): Promise<Scenario> {
  const apiId = o.apiId ?? "api-shop";
  const endpointId = o.endpointId ?? "ep-orders";
  const before = o.minutesBefore ?? 180, after = o.minutesAfter ?? 30;
  const steady = o.steadyKeys ?? 5, rate = o.steadyRate ?? 20, batchRate = o.batchRateAfter ?? 150;
  const t0 = o.t0;
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);

  await q(`INSERT INTO apis (id, name, listen_path, definition) VALUES ($1, 'Shop API', '/shop/', '{}'), ('api-billing', 'Billing API', '/billing/', '{}')`, [apiId]);
  await q(`INSERT INTO endpoints (id, api_id, method, path, operation) VALUES ($1, $2, 'GET', '/shop/orders/{id}', 'GET /orders/{id}')`, [endpointId, apiId]);
  for (let e = 0; e < (o.otherEndpoints ?? 0); e++) {
    await q(`INSERT INTO endpoints (id, api_id, method, path) VALUES ($1, $2, 'GET', $3)`, [`ep-other-${e}`, apiId, `/shop/other/${e}`]);
  }
  await q(`INSERT INTO identities (id, kind, external_id, email, name) VALUES
    ('id-batch', 'service', 'svc-batch-export', NULL, 'Batch exporter'),
    ('id-alice', 'person', 'alice@acme.test', 'alice@acme.test', 'Alice Ng')`);
  await q(`INSERT INTO identities (id, kind, external_id, name) SELECT 'id-std-' || i, 'service', 'svc-std-' || i, 'Storefront ' || i FROM generate_series(0, $1::int - 1) i`, [steady]);
  await q(`INSERT INTO policies (id, name, rate, per, api_ids, snapshot, version) VALUES
    ('pol-gold', 'Partner Gold', 100, 1, ARRAY[$1], '{"rate": 100, "per": 1}', 2),
    ('pol-std', 'Standard', 10, 1, ARRAY[$1], '{"rate": 10, "per": 1}', 1)`, [apiId]);
  await q(`INSERT INTO policy_versions (id, policy_id, version, snapshot, observed_at) VALUES
    ('pv-gold-1', 'pol-gold', 1, '{"rate": 1, "per": 1}', ${ts(t0 - 600 * MIN)}),
    ('pv-gold-2', 'pol-gold', 2, '{"rate": 100, "per": 1}', ${ts(t0 - 10 * MIN)})`);
  await q(`INSERT INTO keys (key_hash, last4, alias, identity_id, policy_ids, api_ids, snapshot) VALUES
    ('kh-batch', 'b4tc', 'batch-exporter', 'id-batch', '{pol-gold}', ARRAY[$1], '{"apply_policies": ["pol-gold"]}')`, [apiId]);
  await q(`INSERT INTO keys (key_hash, last4, identity_id, policy_ids, api_ids, snapshot)
    SELECT 'kh-std-' || i, lpad(i::text, 4, '0'), 'id-std-' || i, '{pol-std}', ARRAY[$1], '{"apply_policies": ["pol-std"]}' FROM generate_series(0, $2::int - 1) i`, [apiId, steady]);

  const change = (id: string, kind: string, action: string, target: string, label: string, actor: string, at: number, diff: unknown, apiIds: string[], keys: string[], version: number | null) =>
    q(`INSERT INTO access_changes (id, kind, action, target_id, target_label, version, actor, changed_at, time_source, diff, api_ids, key_hashes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${ts(at)}, 'audit', $8, $9, $10)`, [id, kind, action, target, label, version, actor, JSON.stringify(diff), apiIds, keys]);
  await change("chg-gold", "policy", "update", "pol-gold", "Partner Gold", "alice@acme.test", t0 - 12 * MIN, [{ path: "rate", before: 1, after: 100 }], [apiId], ["kh-batch"], 2);
  await change("chg-rotate", "key", "rotate", "kh-std-1", "key …0001", "bob@acme.test", t0 - 30 * MIN, [], [apiId], ["kh-std-1"], null);
  await change("chg-billing", "api", "update", "api-billing", "Billing API", "carol@acme.test", t0 - 5 * MIN, [{ path: "proxy.target_url", before: "a", after: "b" }], ["api-billing"], [], null);
  await change("chg-ancient", "policy", "update", "pol-std", "Standard", "dave@acme.test", t0 - 600 * MIN, [{ path: "rate", before: 5, after: 10 }], [apiId], [], null);

  // Steady callers on every endpoint: lognormal latency, median 80 ms (Box–Muller in SQL).
  await q(`SELECT setseed($1::float8)`, [((o.seed ?? 42) % 1000) / 1000]);
  const endpoints = [endpointId, ...Array.from({ length: o.otherEndpoints ?? 0 }, (_, e) => `ep-other-${e}`)];
  const lognormal = `greatest(1, round(80 * exp(0.4 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))::int`;
  const callers = await callerIdsFor(client, [
    ...Array.from({ length: steady }, (_, k) => ({ keyHash: `kh-std-${k}`, identityId: `id-std-${k}`, oauthClientId: null, policyIds: ["pol-std"] })),
    { keyHash: "kh-batch", identityId: "id-batch", oauthClientId: null, policyIds: ["pol-gold"] },
  ]);
  await q(`
    INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, caller_id, trace_id)
    SELECT ${sourceId(`'r-' || e || '-' || k || '-' || m || '-' || j`)}, ${ts(t0)} + make_interval(mins => m, secs => (j * 60.0 / $3::int)),
           e, $1, 'GET', '/shop/orders/1', CASE WHEN random() < 0.002 THEN 502 ELSE 200 END, ${lognormal},
           ($7::int[])[k + 1], CASE WHEN j % 10 = 0 THEN 'tr-' || e || '-' || k || '-' || m END
    FROM unnest($2::text[]) e, generate_series(0, $4::int - 1) k, generate_series(-($5::int), $6::int - 1) m, generate_series(0, $3::int - 1) j`,
    [apiId, endpoints, rate, steady, before, after, callers.slice(0, steady)]);
  // The batch key: one request every 5 minutes before t0, a flood after; always 1–3 s.
  await q(`
    INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, caller_id, trace_id)
    SELECT ${sourceId(`'b-' || m || '-' || j`)}, ${ts(t0)} + make_interval(mins => m, secs => (j * 60.0 / $3::int)),
           $2, $1, 'GET', '/shop/orders/1', 200, (1000 + 2000 * random())::int,
           $6::int, 'tr-batch-' || m || '-' || j
    FROM generate_series(-($4::int), $5::int - 1) m, generate_series(0, $3::int - 1) j
    WHERE (m < 0 AND m % 5 = 0 AND j = 0) OR (m >= 0 AND m < $7::int)`,
    [apiId, endpointId, batchRate, before, after, callers[steady], o.batchStopsAfter ?? after]);
  // The trace backend kept one exemplar of the batch key, slower than any request record.
  await q(`INSERT INTO exemplars (span_id, trace_id, endpoint_id, ts, duration_ms, is_error, key_hash, identity_id)
    VALUES ('span-ex-1', 'trace-ex-1', $1, ${ts(t0 + 3 * MIN)}, 3500, false, 'kh-batch', 'id-batch')`, [endpointId]);
  // What ingest writes beside the records.
  await rebuildAggregates(client);
  const { rows } = await q(`SELECT count(*)::int AS n FROM request_records`);
  return { apiId, endpointId, t0, policyChangeId: "chg-gold", rotationChangeId: "chg-rotate", batchKey: "kh-batch", batchIdentity: "id-batch", rows: rows[0].n };
}

/** The trace backend's view of the same requests: per-minute percentiles into latency_points. */
export async function copySeriesToLatencyPoints(client: pg.Client, endpointId: string): Promise<void> {
  await client.query(`
    INSERT INTO latency_points (endpoint_id, ts, p50, p95, p99, count, errors)
    SELECT endpoint_id, date_trunc('minute', ts),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms),
           percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms), count(*), count(*) FILTER (WHERE status >= 500)
    FROM request_records WHERE endpoint_id = $1 GROUP BY 1, 2`, [endpointId]);
}
