import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { makeSeries } from "@/lib/analysis/testing/synthetic-series";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { listEndpoints } from "./endpoints";
import { rebuildAggregates } from "@/lib/sync/analytics/rebuild-aggregates";
import { withPgClient } from "@/lib/pg-client";

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 26, 12, 0);
const FROM = NOW - 24 * 60 * MIN;
const SPIKE_AT = NOW - 120 * MIN;
let fresh: FreshDatabase;
let db: PrismaClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  fresh = await freshDatabase();
  db = createDb(fresh.url);
  await db.api.create({ data: { id: "orders", name: "Orders API", listenPath: "/orders/", definition: {} } });
  await db.api.create({ data: { id: "gone", name: "Deleted API", listenPath: "/gone/", definition: {}, deletedAt: new Date(NOW) } });
  const ep = (method: string, path: string, operation: string | null, apiId = "orders") =>
    db.endpoint.create({ data: { apiId, method, path, operation } }).then((e) => (ids[`${method} ${path}`] = e.id));
  await ep("GET", "/orders", "GET /orders");
  await ep("GET", "/orders/{id}", "GET /orders/{id}");
  await ep("POST", "/orders", null);
  await ep("GET", "/gone", "GET /gone", "gone");

  // GET /orders: trace points for 24 h (plus an hour before, outside the window), spiking 2 h ago.
  const spiky = makeSeries({ start: FROM - 60 * MIN, minutes: 25 * 60, levelMs: 80, noise: 0.08, spike: { atMinute: 23 * 60, ratio: 5, minutes: 45 }, seed: 9 });
  await db.latencyPoint.createMany({
    data: spiky.map((p) => ({ endpointId: ids["GET /orders"], ts: new Date(p.ts), p50: p.p50, p95: p.p95, p99: p.p99, count: 20, errors: 1 })),
  });
  // Request records too, which must be ignored because trace points exist.
  await db.requestRecord.create({ data: { sourceId: 1n, callerId: 1, ts: new Date(NOW - 5 * MIN), endpointId: ids["GET /orders"], apiId: "orders", method: "GET", path: "/orders", status: 200, latencyMs: 99_999 } });
  const ex = (spanId: string, ts: number, durationMs: number, keyAlias: string | null) =>
    ({ spanId, traceId: `trace-${spanId}`, endpointId: ids["GET /orders"], ts: new Date(ts), durationMs, isError: false, keyAlias });
  await db.exemplar.createMany({
    data: [
      ex("old-slowest", FROM + 60 * MIN, 5000, "someone-else"),
      ex("spike-slow", SPIKE_AT + 10 * MIN, 2500, "globex-batch"),
      ex("spike-fast", SPIKE_AT + 20 * MIN, 900, "globex-batch"),
      ex("outside", FROM - 10 * MIN, 9000, null),
    ],
  });

  // GET /orders/{id}: only gateway request records, steady, 2 per minute for the last 3 hours.
  const rows = [];
  for (let m = 180; m >= 1; m--) {
    for (let i = 0; i < 2; i++) {
      rows.push({ sourceId: BigInt(m * 10 + i), callerId: 1, ts: new Date(NOW - m * MIN + i * 1000), endpointId: ids["GET /orders/{id}"], apiId: "orders", method: "GET", path: "/orders/1", status: m % 30 === 0 && i === 0 ? 502 : 200, latencyMs: 40 + i * 10 });
    }
  }
  await db.requestRecord.createMany({ data: rows });
  await withPgClient(fresh.url, (c) => rebuildAggregates(c));
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await fresh?.drop();
});

describe("listEndpoints", () => {
  it("lists live endpoints with series, spike, volume and the slow trace, spiking first", async () => {
    const list = await listEndpoints(db, { now: NOW });
    expect(list).toMatchObject({ from: FROM, to: NOW });
    expect(list.rows.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /orders", "GET /orders/{id}", "POST /orders"]);

    const [orders, byId, unmapped] = list.rows;
    expect(orders).toMatchObject({ apiName: "Orders API", source: "latency_points", operation: "GET /orders", requests: 24 * 60 * 20 });
    expect(orders.errorRate).toBeCloseTo(0.05);
    expect(orders.spike).not.toBeNull();
    expect(Math.abs(orders.spike!.start - SPIKE_AT)).toBeLessThanOrEqual(3 * MIN);
    expect(orders.spark).toHaveLength(96);
    expect(orders.spark.every((v) => v != null && v > 0)).toBe(true);
    expect(orders.currentP99).toBeLessThan(200);
    expect(orders.slowTrace).toMatchObject({ spanId: "spike-slow", traceId: "trace-spike-slow", keyAlias: "globex-batch", durationMs: 2500 });

    expect(byId).toMatchObject({ source: "request_records", spike: null, requests: 360, slowTrace: null });
    expect(byId.errorRate).toBeCloseTo(6 / 360);
    // From the per-minute histograms (4% bins): within 2% of the exact 49.9 ms.
    expect(Math.abs(byId.currentP99! - 49.9) / 49.9).toBeLessThan(0.02);
    expect(byId.spark.filter((v) => v != null).length).toBe(12);

    expect(unmapped).toMatchObject({ operation: null, source: "none", requests: 0, errorRate: null, currentP99: null, spike: null });
    expect(unmapped.spark.every((v) => v === null)).toBe(true);
  });

  it("is empty on an empty database", async () => {
    const empty = await freshDatabase();
    const db2 = createDb(empty.url);
    try {
      expect((await listEndpoints(db2, { now: NOW })).rows).toEqual([]);
    } finally {
      await db2.$disconnect();
      await empty.drop();
    }
  });
});
