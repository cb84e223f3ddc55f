// What ingest learns that the Dashboard never said: keys it no longer lists (their identity from
// Tyk Pump's alias, their policies from pol- tags) and paths no endpoint template matches (counted
// per derived template for review; stored rows get an endpoint once one is accepted).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createDb } from "@/lib/db";
import { acceptCandidate, listCandidates, rejectCandidate, unmatchedSummary } from "@/lib/endpoints/candidates";
import { identityIdOf } from "@/lib/sync/tyk/identity-rule";
import { PUMP_SCHEMA_SQL } from "@/simulators/tyk-dashboard/pump-schema";
import { aggregateMismatches } from "@/tests/helpers/aggregates";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { ingestAnalytics } from "./ingest";
import { rematchUnmatched } from "./rematch";
import { sha256Hex } from "./transform";

const GONE = sha256Hex("deleted-before-first-sync");
let app: FreshDatabase, pump: FreshDatabase, db: PrismaClient;

beforeAll(async () => {
  [app, pump] = await Promise.all([freshDatabase(), freshDatabase({ migrate: false })]);
  db = createDb(app.url);
  await db.api.createMany({ data: [
    { id: "orders", name: "Orders", listenPath: "/orders/", definition: {} },
    { id: "catalog", name: "Catalog", listenPath: "/catalog/", definition: {} },
  ] });
  await db.endpoint.create({ data: { id: "ep-orders", apiId: "orders", method: "GET", path: "/orders/{id}" } });
  const c = new pg.Client({ connectionString: pump.url });
  await c.connect();
  await c.query(PUMP_SCHEMA_SQL);
  // 300 requests of a key the Dashboard no longer lists (alias + pol- tag), and 200 to an API whose
  // definition declares no paths: items by numeric id, and a search.
  await c.query(
    `INSERT INTO tyk_analytics (timestamp, method, path, rawpath, responsecode, apikey, apiid, requesttime, tags, alias, listenpath)
     SELECT timestamptz '2026-11-26 10:00:00+00' + i * interval '1 second', 'GET',
            CASE WHEN i <= 300 THEN '/orders/' || i WHEN i % 4 = 0 THEN '/catalog/search' ELSE '/catalog/items/' || (1000 + i) END,
            '', 200, $1, CASE WHEN i <= 300 THEN 'orders' ELSE 'catalog' END, 40,
            json_build_array('key-' || $1, 'pol-partner-bronze')::text, 'stark-scraper',
            CASE WHEN i <= 300 THEN '/orders/' ELSE '/catalog/' END
     FROM generate_series(1, 500) AS i`,
    [GONE],
  );
  await c.end();
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await app?.drop();
  await pump?.drop();
});

describe("ingest: keys the Dashboard never listed, and paths no definition declares", () => {
  it("names a deleted key from its records' alias and policies, once, with the identity id the Tyk sync would give it", async () => {
    const res = await ingestAnalytics({ db, databaseUrl: app.url, sourceUrl: pump.url });
    expect(res.rows).toBe(500);
    const identity = await db.identity.findUniqueOrThrow({ where: { externalId: "stark-scraper" } });
    expect(identity).toMatchObject({ id: identityIdOf("stark-scraper"), kind: "service", name: "stark-scraper" });
    expect(await db.pumpKey.findMany()).toMatchObject([{ keyHash: GONE, alias: "stark-scraper", identityId: identity.id, policyIds: ["partner-bronze"] }]);
    const callers = await db.requestCaller.findMany();
    expect(callers.map((c) => [c.keyHash, c.identityId, c.policyIds])).toEqual([[GONE, identity.id, ["partner-bronze"]]]);
  });

  it("counts unmatched rows per derived template and reports them", async () => {
    const candidates = await listCandidates(db, "pending");
    expect(candidates.map((c) => [c.apiId, c.method, c.path, c.requests, c.source])).toEqual([
      ["catalog", "GET", "/catalog/items/{id}", 150, "observed"],
      ["catalog", "GET", "/catalog/search", 50, "observed"],
    ]);
    expect(candidates[0].examplePath).toMatch(/^\/catalog\/items\/1\d{3}$/);
    expect(await unmatchedSummary(db)).toEqual({ pending: 2, requests: 200 });
    expect(await db.requestRecord.count({ where: { endpointId: null } })).toBe(200);
  });

  it("gives stored rows the endpoint once a template is accepted (renamed here); a rejected one stays without", async () => {
    const [items, search] = await listCandidates(db, "pending");
    const accepted = await acceptCandidate(db, items.id, { actor: "ada@acme.test", path: "/catalog/items/{itemId}" });
    expect(accepted.rematched).toBe(150);
    expect(accepted.candidate).toMatchObject({ status: "accepted", path: "/catalog/items/{itemId}", decidedBy: "ada@acme.test", endpointId: accepted.endpointId });
    expect(await db.endpoint.findUniqueOrThrow({ where: { id: accepted.endpointId } })).toMatchObject({ path: "/catalog/items/{itemId}", operation: "GET /catalog/items/{itemId}", source: "observed" });
    expect(await db.requestRecord.count({ where: { endpointId: accepted.endpointId } })).toBe(150);
    // The moved rows are in the hour aggregates too (series, list and window callers read them), exactly.
    const hours = await db.endpointHour.findMany({ where: { endpointId: accepted.endpointId } });
    expect(hours.flatMap((h) => h.minuteRequests).reduce((a, b) => a + b, 0)).toBe(150);
    expect(await aggregateMismatches(app.url)).toEqual([]);
    expect((await rejectCandidate(db, search.id, { actor: "ada@acme.test" })).status).toBe("rejected");
    expect(await db.requestRecord.count({ where: { endpointId: null } })).toBe(50);
    expect(await rematchUnmatched(db)).toBe(0);
  });

  it("learns nothing twice: a second run adds no key, identity or candidate count", async () => {
    const again = await ingestAnalytics({ db, databaseUrl: app.url, sourceUrl: pump.url });
    expect(again.rows).toBe(0);
    expect(await db.pumpKey.count()).toBe(1);
    expect(await db.identity.count()).toBe(1);
    expect((await listCandidates(db)).map((c) => [c.status, c.requests])).toEqual([["accepted", 150], ["rejected", 50]]);
  });
});
