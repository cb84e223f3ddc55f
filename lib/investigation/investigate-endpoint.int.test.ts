import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, lookupPoolOf, poolOf } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { investigateEndpoint } from "./investigate-endpoint";
import { loadEndpointSeries } from "./endpoint-series";
import { loadAccessChanges, loadCallerContext, loadExemplars, loadKeyPoliciesAsOf, loadSeries, loadStoredExemplars, loadTrafficCells } from "./load";
import { copySeriesToLatencyPoints, seedScenario, type Scenario } from "./testing/seed-scenario";
import { callerIdsFor } from "@/lib/sync/analytics/callers";
import { rebuildAggregates } from "@/lib/sync/analytics/rebuild-aggregates";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0);
const FAST = { attribution: { iterations: 100, seed: 7 } };

describe("investigateEndpoint on a culprit key surge after a policy change", () => {
  let fresh: FreshDatabase;
  let client: pg.Client;
  let db: PrismaClient;
  let s: Scenario;

  beforeAll(async () => {
    fresh = await freshDatabase();
    client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    s = await seedScenario(client, { t0: T0 });
    // A quiet endpoint of the same API: same steady callers, no surge.
    await client.query(`INSERT INTO endpoints (id, api_id, method, path) VALUES ('ep-quiet', $1, 'GET', '/shop/health')`, [s.apiId]);
    const [quietCaller] = await callerIdsFor(client, [{ keyHash: "kh-std-0", identityId: null, oauthClientId: null, policyIds: [] }]);
    await client.query(`INSERT INTO request_records (source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, caller_id)
      SELECT m * 100 + j, (to_timestamp(${T0} / 1000.0) AT TIME ZONE 'UTC') + make_interval(mins => m, secs => j * 6),
             'ep-quiet', $1, 'GET', '/shop/health', 200, 40 + (random() * 4)::int, $2
      FROM generate_series(-180, 29) m, generate_series(0, 9) j`, [s.apiId, quietCaller]);
    await rebuildAggregates(client);
    db = createDb(fresh.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await client?.end();
    await fresh?.drop();
  });

  it("computes the series in SQL from request records when the trace backend has none", async () => {
    const { source, points } = await loadSeries(db, s.endpointId, T0 - 10 * MIN, T0 + 10 * MIN);
    expect(source).toBe("request_records");
    expect(points).toHaveLength(20);
    const before = points.find((p) => p.ts === T0 - 9 * MIN)!, after = points.find((p) => p.ts === T0 + 5 * MIN)!;
    expect(before.count).toBe(100); // 5 steady keys × 20/min, no batch request in that minute
    expect(after.count).toBe(250);
    expect(after.p99!).toBeGreaterThan(1000);
    expect(before.p99!).toBeLessThan(600);
  });

  it("aggregates traffic into per-minute caller cells whose counts add up to the requests", async () => {
    const cells = await loadTrafficCells(db, s.endpointId, T0, T0 + 10 * MIN);
    const total = cells.reduce((n, c) => n + c.count, 0);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM request_records WHERE endpoint_id = $1 AND ts >= $2 AND ts < $3`,
      [s.endpointId, new Date(T0).toISOString().replace("Z", ""), new Date(T0 + 10 * MIN).toISOString().replace("Z", "")]);
    expect(total).toBe(rows[0].n);
    const batch = cells.filter((c) => c.keyHash === s.batchKey);
    expect(batch).toHaveLength(10);
    expect(batch[0]).toMatchObject({ identityId: "id-batch", policyIds: ["pol-gold"], count: 150 });
    expect(batch[0].binCounts.reduce((a, b) => a + b, 0)).toBe(150);
    expect(Math.min(...batch.flatMap((c) => c.bins))).toBeGreaterThan(170); // 1.04^176 ≈ 1000 ms
  });

  it("picks the shown groups' traces from the window's prefetched exemplars exactly as its own query does", async () => {
    const groups = [{ kind: "key" as const, id: s.batchKey }, { kind: "identity" as const, id: "id-batch" }, { kind: "policy" as const, id: "pol-gold" }];
    const [from, to] = [T0, T0 + 30 * MIN];
    const queried = await loadExemplars(db, s.endpointId, from, to, groups);
    expect(queried.get(`key:${s.batchKey}`)?.[0]).toEqual({ traceId: "trace-ex-1", spanId: "span-ex-1" });
    const stored = await loadStoredExemplars(db, s.endpointId, from, to);
    expect(stored.complete).toBe(true);
    expect(await loadExemplars(db, s.endpointId, from, to, groups, 3, stored)).toEqual(queried);
    // Another window's, or a capped, prefetch is not used: the query runs as before.
    const empty = { ...stored, rows: [] };
    expect(await loadExemplars(db, s.endpointId, from, to, groups, 3, { ...empty, from: from - MIN })).toEqual(queried);
    expect(await loadExemplars(db, s.endpointId, from, to, groups, 3, { ...empty, complete: false })).toEqual(queried);
    expect((await loadExemplars(db, s.endpointId, from, to, groups, 3, empty)).get(`key:${s.batchKey}`)?.[0]?.traceId).not.toBe("trace-ex-1");
    // The fallback narrowed to the groups' callers (as the cells give them) reads the same traces.
    const cells = await loadTrafficCells(db, s.endpointId, from, to);
    const callers = [...new Set(cells.filter((c) => c.keyHash === s.batchKey || c.identityId === "id-batch" || c.policyIds.includes("pol-gold")).map((c) => c.callerId!))];
    expect(callers.length).toBeGreaterThan(0);
    const unnarrowed = await loadExemplars(db, s.endpointId, from, to, groups, 3, empty);
    expect(unnarrowed.get(`key:${s.batchKey}`)?.length).toBeGreaterThan(0);
    expect(await loadExemplars(db, s.endpointId, from, to, groups, 3, empty, callers)).toEqual(unnarrowed);
    expect((await loadExemplars(db, s.endpointId, from, to, groups, 3, empty, [])).size).toBe(0);
  });

  it("loads the access changes that reach the endpoint, with limits from the version snapshots", async () => {
    const changes = await loadAccessChanges(db, { id: s.endpointId, apiId: s.apiId }, T0 - 120 * MIN, T0 + 15 * MIN);
    expect(changes.map((c) => c.id)).toEqual(["chg-rotate", "chg-gold"]); // not the other API's, not the ancient one
    const gold = changes.find((c) => c.id === "chg-gold")!;
    expect(gold).toMatchObject({ kind: "policy", actor: "alice@acme.test", timeSource: "audit", limitBefore: { rate: 1, per: 1 }, limitAfter: { rate: 100, per: 1 } });
    expect(gold.changedAt).toBe(T0 - 12 * MIN);
  });

  it("ranks the policy change and the batch key first, with evidence, labels and exemplars", async () => {
    const r = await investigateEndpoint(db, { endpointId: s.endpointId, now: T0 + 6 * 60 * MIN, options: FAST });
    expect(r.seriesSource).toBe("request_records");
    expect(r.spike.kind).toBe("spike");
    if (r.spike.kind === "spike") expect(Math.abs(r.spike.start - T0)).toBeLessThanOrEqual(MIN);
    expect(r.verdict.verdict).toBe("explained");
    expect(r.verdict.reading).toBe("mix");

    const top = r.suspects.slice(0, 2);
    expect(top.map((x) => x.id).sort()).toEqual(["chg-gold", "kh-batch"]);
    const change = r.suspects.find((x) => x.id === "chg-gold")!;
    expect(change).toMatchObject({
      kind: "access_change", changeKind: "policy", targetId: "pol-gold", action: "update", label: "Partner Gold", actor: "alice@acme.test", timeSource: "audit", significant: true,
    });
    expect(change.changedAt).toBe(new Date(T0 - 12 * MIN).toISOString());
    expect(change.evidence.enables).toMatchObject({ reason: "rate_past_old_limit", keyHashes: ["kh-batch"], oldLimitPerMin: 60 });
    expect(change.evidence.diff).toEqual([{ path: "rate", before: 1, after: 100 }]);
    const key = r.suspects.find((x) => x.id === "kh-batch")!;
    expect(key.label).toBe("batch-exporter");
    expect(key.identity).toMatchObject({ id: "id-batch", name: "Batch exporter", kind: "service" });
    expect(key.evidence.requestsAfter).toBeGreaterThan(50 * key.evidence.requestsBefore);
    expect(key.evidence.p99With!).toBeGreaterThan(key.evidence.p99Without!);
    // The trace backend's exemplar first, then the slowest request records' trace ids.
    expect(key.evidence.exemplarTraceIds[0]).toBe("trace-ex-1");
    expect(key.evidence.exemplarTraceIds.length).toBe(3);
    expect(key.evidence.exemplarTraceIds.slice(1).every((t) => t.startsWith("tr-batch-"))).toBe(true);
    expect(change.evidence.exemplarTraceIds).toContain("trace-ex-1");
    // Span ids ride along for deep links: the exemplar's own, none for a request record's trace we hold no span of.
    expect(key.evidence.exemplars?.map((e) => e.traceId)).toEqual(key.evidence.exemplarTraceIds);
    expect(key.evidence.exemplars?.[0]).toEqual({ traceId: "trace-ex-1", spanId: "span-ex-1" });
    expect(key.evidence.exemplars?.slice(1).every((e) => e.spanId === null)).toBe(true);
    expect(key).not.toHaveProperty("targetId");

    const decoys = ["chg-rotate", "kh-std-1"];
    for (const d of decoys) {
      expect(r.suspects.map((x) => x.id)).not.toContain(d);
      expect(r.notSignificant.map((x) => x.id)).toContain(d);
    }
    expect(r.suspects.map((x) => x.rank)).toEqual(r.suspects.map((_, i) => i + 1));
    expect(r.notSignificant[0].rank).toBe(r.suspects.length + 1);
  });

  it("runs its small lookups on the lookup connections and its scans on the main pool", async () => {
    const own = createDb(fresh.url);
    try {
      const seen: { pool: string; text: string }[] = [];
      for (const [name, pool] of [["lookups", lookupPoolOf(own)], ["main", poolOf(own)]] as const) {
        const query = pool.query.bind(pool) as (...a: unknown[]) => unknown;
        (pool as unknown as { query: unknown }).query = (...a: unknown[]) => {
          seen.push({ pool: name, text: (a[0] as { text: string }).text });
          return query(...a);
        };
      }
      await investigateEndpoint(own, { endpointId: s.endpointId, now: T0 + 6 * 60 * MIN, options: FAST });
      const poolOfQuery = (fragment: string) => [...new Set(seen.filter((q) => q.text.includes(fragment)).map((q) => q.pool))];
      expect(poolOfQuery("FROM endpoints e JOIN apis")).toEqual(["lookups"]);
      expect(poolOfQuery("FROM access_changes")).toEqual(["lookups"]);
      expect(poolOfQuery("FROM exemplars")).toContain("lookups");
      expect(poolOfQuery("FROM keys k WHERE k.key_hash = ANY")).toEqual(["lookups"]);
      expect(poolOfQuery("FROM request_records")).toEqual(["main"]);
    } finally {
      await own.$disconnect();
    }
  });

  it("finds a span for a request record's trace when the trace backend holds one of it (any endpoint, any time)", async () => {
    const first = await investigateEndpoint(db, { endpointId: s.endpointId, now: T0 + 6 * 60 * MIN, options: FAST });
    const traceId = first.suspects.find((x) => x.id === "kh-batch")!.evidence.exemplarTraceIds[1];
    await client.query(`INSERT INTO exemplars (span_id, trace_id, endpoint_id, ts, duration_ms, is_error) VALUES ('span-other', $1, 'ep-quiet', now(), 5, false)`, [traceId]);
    try {
      const r = await investigateEndpoint(db, { endpointId: s.endpointId, now: T0 + 6 * 60 * MIN, options: FAST });
      expect(r.suspects.find((x) => x.id === "kh-batch")!.evidence.exemplars?.[1]).toEqual({ traceId, spanId: "span-other" });
    } finally {
      await client.query(`DELETE FROM exemplars WHERE span_id = 'span-other'`);
    }
  });

  it("builds the timeline and the callers-by-identity table", async () => {
    const r = await investigateEndpoint(db, { endpointId: s.endpointId, now: T0 + 6 * 60 * MIN, options: FAST });
    const types = r.timeline.map((t) => t.type);
    expect(types).toContain("spike_start");
    expect(types).toContain("spike_peak");
    const changes = r.timeline.filter((t) => t.type === "access_change").map((t) => (t as { id: string }).id);
    expect(changes).toEqual(["chg-rotate", "chg-gold"]);
    expect(r.timeline.some((t) => t.type === "traffic_shift" && t.id === "id-batch")).toBe(true);
    expect([...r.timeline].map((t) => t.at)).toEqual([...r.timeline.map((t) => t.at)].sort());

    expect(r.callers[0]).toMatchObject({ kind: "identity", id: "id-batch", label: "Batch exporter" });
    expect(r.callers[0].share).toBeGreaterThan(0.5);
    expect(r.callers).toHaveLength(6);
    expect(r.endpoint).toEqual({ id: s.endpointId, apiId: s.apiId, apiName: "Shop API", method: "GET", path: "/shop/orders/{id}", operation: "GET /orders/{id}" });
    expect(Date.parse(r.window.from)).toBe(Math.min(T0 - 120 * MIN, Date.parse(r.analysisWindows!.baseline.from)));
    expect(r.series.every((p) => p.ts >= Date.parse(r.window.from) && p.ts < Date.parse(r.window.to))).toBe(true);
  });

  it("prefers the trace backend's points for an explicit window, and reaches the same answer", async () => {
    await copySeriesToLatencyPoints(client, s.endpointId);
    try {
      const from = T0 - 90 * MIN, to = T0 + 30 * MIN;
      const r = await investigateEndpoint(db, { endpointId: s.endpointId, from, to, lookbackMinutes: 60, options: FAST });
      expect(r.seriesSource).toBe("latency_points");
      expect(r.window).toEqual({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
      expect(r.suspects.slice(0, 2).map((x) => x.id).sort()).toEqual(["chg-gold", "kh-batch"]);
      // A 60-minute look-back still reaches the rotation 30 minutes before t0.
      expect(r.timeline.filter((t) => t.type === "access_change")).toHaveLength(2);
    } finally {
      await client.query(`DELETE FROM latency_points WHERE endpoint_id = $1`, [s.endpointId]);
    }
  });

  it("loads the callers' labels with the identities behind keys, and keys' policies as of a time", async () => {
    await client.query(`INSERT INTO key_versions (id, key_hash, version, snapshot, observed_at) VALUES
      ('kv-std0-1', 'kh-std-0', 1, '{"apply_policies": ["pol-gold"]}', (to_timestamp(${T0 - 60 * MIN} / 1000.0) AT TIME ZONE 'UTC')),
      ('kv-std0-2', 'kh-std-0', 2, '{"apply_policies": ["pol-std"]}', (to_timestamp(${T0 + 60 * MIN} / 1000.0) AT TIME ZONE 'UTC'))`);
    try {
      const ctx = await loadCallerContext(db, { keyHashes: ["kh-batch", "kh-std-0"], identityIds: ["id-alice"], policyIds: ["pol-gold"], oauthClientIds: [] });
      expect(ctx.labels.key).toEqual({ "kh-batch": "batch-exporter", "kh-std-0": "key …0000" });
      expect(ctx.labels.policy).toEqual({ "pol-gold": "Partner Gold" });
      expect(ctx.labels.identity).toEqual({ "id-batch": "Batch exporter", "id-std-0": "Storefront 0", "id-alice": "Alice Ng" });
      expect(ctx.keyIdentity).toEqual({ "kh-batch": "id-batch", "kh-std-0": "id-std-0" });
      expect(ctx.identities["id-alice"]).toEqual({ id: "id-alice", name: "Alice Ng", email: "alice@acme.test", kind: "person", source: "dashboard" });
      // Version 1 is the newest observed by T0; kh-batch has no versions, so its current policies.
      expect(await loadKeyPoliciesAsOf(db, ["kh-std-0", "kh-batch"], T0)).toEqual({ "kh-std-0": ["pol-gold"], "kh-batch": ["pol-gold"] });
      expect(await loadKeyPoliciesAsOf(db, [], T0)).toEqual({});
    } finally {
      await client.query(`DELETE FROM key_versions WHERE key_hash = 'kh-std-0'`);
    }
  });

  it("says so when there is no spike, and 404s an unknown endpoint", async () => {
    const r = await investigateEndpoint(db, { endpointId: "ep-quiet", now: T0 + 6 * 60 * MIN, options: FAST });
    expect(r.spike.kind).toBe("none");
    expect(r.verdict.verdict).toBe("no_spike");
    expect(r.suspects).toEqual([]);
    expect(r.series.length).toBeGreaterThan(200);
    await expect(investigateEndpoint(db, { endpointId: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await expect(investigateEndpoint(db, { endpointId: "nope" })).rejects.toBeInstanceOf(ApiError);
  });
});

describe("the default window of a spike that recovered", () => {
  let fresh: FreshDatabase;
  let client: pg.Client;
  let db: PrismaClient;

  beforeAll(async () => {
    fresh = await freshDatabase();
    client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    await seedScenario(client, { t0: T0, minutesBefore: 120, minutesAfter: 90, batchStopsAfter: 20 });
    db = createDb(fresh.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await client?.end();
    await fresh?.drop();
  });

  it("runs 30 minutes past the spike's end, so the chart shows the recovery, with the same culprit", async () => {
    const r = await investigateEndpoint(db, { endpointId: "ep-orders", now: T0 + 90 * MIN });
    expect(r.spike.kind).toBe("spike");
    const end = r.spike.kind === "spike" ? r.spike.end : undefined;
    expect(end).toBeGreaterThanOrEqual(T0 + 15 * MIN);
    expect(end).toBeLessThan(T0 + 25 * MIN);
    expect(Date.parse(r.window.to)).toBe(end! + 30 * MIN);
    expect(Date.parse(r.window.to)).toBeGreaterThan(Date.parse(r.analysisWindows!.incident.to));
    expect(r.suspects.slice(0, 2).map((x) => x.id).sort()).toEqual(["chg-gold", "kh-batch"]);
  });
});

describe("loadEndpointSeries", () => {
  let fresh: FreshDatabase;
  let client: pg.Client;
  let db: PrismaClient;

  beforeAll(async () => {
    fresh = await freshDatabase();
    client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    await seedScenario(client, { t0: T0, minutesBefore: 60, minutesAfter: 10 });
    db = createDb(fresh.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await client?.end();
    await fresh?.drop();
  });

  it("returns the chart's points and the access-change markers of the window", async () => {
    const r = await loadEndpointSeries(db, { endpointId: "ep-orders", from: T0 - 60 * MIN, to: T0 + 10 * MIN });
    expect(r.source).toBe("request_records");
    expect(r.points).toHaveLength(70);
    expect(r.markers.map((m) => m.id)).toEqual(["chg-rotate", "chg-gold"]);
    expect(r.markers[1]).toEqual({
      at: new Date(T0 - 12 * MIN).toISOString(), id: "chg-gold", kind: "policy", action: "update", label: "Partner Gold", targetId: "pol-gold",
      actor: "alice@acme.test", timeSource: "audit", diff: [{ path: "rate", before: 1, after: 100 }],
    });
    // The Billing API's change cannot reach GET /orders: listed as elsewhere, never drawn.
    expect(r.elsewhere).toEqual({ count: 1, changes: [expect.objectContaining({ id: "chg-billing", kind: "api", label: "Billing API", actor: "carol@acme.test" })] });
  });

  it("draws no API definition change of another API, even one a caller of the endpoint holds access to", async () => {
    await client.query(`UPDATE access_changes SET key_hashes = '{kh-batch}' WHERE id = 'chg-billing'`);
    try {
      const r = await loadEndpointSeries(db, { endpointId: "ep-orders", from: T0 - 60 * MIN, to: T0 + 10 * MIN });
      expect(r.markers.map((m) => m.id)).toEqual(["chg-rotate", "chg-gold"]);
      expect(r.elsewhere.changes.map((m) => m.id)).toEqual(["chg-billing"]);
    } finally {
      await client.query(`UPDATE access_changes SET key_hashes = '{}' WHERE id = 'chg-billing'`);
    }
  });

  it("defaults to the 24 hours up to the newest data, which reaches the older change too", async () => {
    const r = await loadEndpointSeries(db, { endpointId: "ep-orders", now: T0 + 24 * 60 * MIN });
    expect(r.window.to).toBe(new Date(T0 + 10 * MIN).toISOString());
    expect(r.markers.map((m) => m.id)).toEqual(["chg-ancient", "chg-rotate", "chg-gold"]);
    await expect(loadEndpointSeries(db, { endpointId: "missing" })).rejects.toMatchObject({ code: "not_found" });
  });
});
