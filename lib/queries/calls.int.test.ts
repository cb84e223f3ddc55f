import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { callerIdsFor } from "@/lib/sync/analytics/callers";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { callPages, findEndpoints, listCalls, type CallView } from "./calls";

describe("call trail queries", () => {
  let fresh: FreshDatabase;
  let db: ReturnType<typeof createDb>;
  const t0 = Date.parse("2026-03-01T00:00:00Z");

  beforeAll(async () => {
    fresh = await freshDatabase();
    db = createDb(fresh.url);
    await db.api.create({ data: { id: "pay", name: "Payments", listenPath: "/payments", definition: {} } });
    await db.endpoint.createMany({
      data: [
        { id: "ep-list", apiId: "pay", method: "GET", path: "/payments" },
        { id: "ep-post", apiId: "pay", method: "POST", path: "/payments" },
        { id: "ep-refund", apiId: "pay", method: "POST", path: "/payments/{id}/refund" },
      ],
    });
    await db.identity.createMany({ data: [{ id: "alice", kind: "person", externalId: "alice@acme.test", email: "alice@acme.test", name: "Alice" }, { id: "bob", kind: "person", externalId: "bob@acme.test", email: "bob@acme.test", name: "Bob" }] });
    await db.key.createMany({ data: [{ keyHash: "h-alice", last4: "a1b2", alias: "alice-laptop", identityId: "alice", snapshot: {} }, { keyHash: "h-bob", last4: "b0b0", alias: "bob-ci", identityId: "bob", snapshot: {} }] });
    const [aliceCaller, bobCaller] = await callerIdsFor(db, [
      { keyHash: "h-alice", identityId: "alice", oauthClientId: null, policyIds: [] },
      { keyHash: "h-bob", identityId: "bob", oauthClientId: null, policyIds: [] },
    ]);
    // 30 calls, every three sharing a timestamp so pages must break ties on id (negative ones too).
    await db.requestRecord.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        sourceId: BigInt(i % 2 ? i : -i) * 1_000_000_000_000n,
        ts: new Date(t0 + Math.floor(i / 3) * 60_000),
        endpointId: ["ep-list", "ep-post", "ep-refund"][i % 3],
        apiId: "pay",
        method: i % 3 === 0 ? "GET" : "POST",
        path: "/payments",
        status: i % 5 === 0 ? 503 : 200,
        latencyMs: 10 + i,
        callerId: i % 2 ? aliceCaller : bobCaller,
      })),
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await fresh?.drop();
  });

  it("keyset pages walk every row exactly once, newest first, across timestamp ties", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let prev = Infinity;
    do {
      const page = await listCalls(db, { cursor, limit: 4 });
      for (const c of page.calls) {
        expect(c.ts.getTime()).toBeLessThanOrEqual(prev);
        prev = c.ts.getTime();
        seen.push(c.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  it("filters by identity email, key alias, endpoint, status class and time; shows keys masked", async () => {
    const alice = await listCalls(db, { identity: "alice@acme.test", limit: 100 });
    expect(alice.calls).toHaveLength(15);
    expect(alice.calls.every((c) => c.identity?.name === "Alice" && c.key?.masked === "••••a1b2" && c.key.alias === "alice-laptop")).toBe(true);
    expect((await listCalls(db, { key: "bob-ci", status: "5xx", limit: 100 })).calls.map((c) => c.status)).toEqual([503, 503, 503]);
    expect((await listCalls(db, { endpoint: "POST /payments", limit: 100 })).calls.every((c) => c.endpoint?.id === "ep-post")).toBe(true);
    expect((await listCalls(db, { endpoint: "/payments/", limit: 100 })).calls).toHaveLength(10);
    const window = await listCalls(db, { from: new Date(t0 + 60_000), to: new Date(t0 + 3 * 60_000), limit: 100 });
    expect(window.calls).toHaveLength(6);
    expect(await listCalls(db, { identity: "nobody@acme.test", limit: 10 })).toEqual({ calls: [], nextCursor: null });
  });

  it("exact filters are exact: LIKE wildcards and backslashes match only themselves and never fail", async () => {
    for (const v of ["%", "_", "\\", "%\\", "alice%", "ALICE@ACME.TES_", "h-%", "a\\%"]) {
      expect((await listCalls(db, { identity: v, limit: 5 })).calls, `identity ${v}`).toEqual([]);
      expect((await listCalls(db, { key: v, limit: 5 })).calls, `key ${v}`).toEqual([]);
    }
    for (const v of ["%", "_", "\\", "%ay%", "ep_%"]) expect(await findEndpoints(db, v), `endpoint ${v}`).toEqual([]);
    // Case does not matter for emails, aliases and external ids.
    expect((await listCalls(db, { identity: "ALICE@acme.test", limit: 100 })).calls).toHaveLength(15);
    expect((await listCalls(db, { key: "Bob-CI", limit: 100 })).calls).toHaveLength(15);
    expect((await findEndpoints(db, "PAYMENTS/{ID}")).map((e) => e.id)).toEqual(["ep-refund"]);
  });

  it("export pages cover the whole filter", async () => {
    let n = 0;
    for await (const page of callPages(db, { identity: "bob" }, 1000, 4)) n += page.length;
    expect(n).toBe(15);
  });

  it("pages a person's calls across their callers in order, each call once", async () => {
    // A second caller of Alice's key (other policies): her calls now span two caller ids.
    const [other] = await callerIdsFor(db, [{ keyHash: "h-alice", identityId: "alice", oauthClientId: null, policyIds: ["gold"] }]);
    await db.requestRecord.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        sourceId: BigInt(100 + i), ts: new Date(t0 + i * 90_000), endpointId: "ep-list", apiId: "pay", method: "GET", path: "/payments",
        status: 200, latencyMs: 5, callerId: other,
      })),
    });
    const seen: CallView[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCalls(db, { identity: "alice", cursor, limit: 3 });
      seen.push(...page.calls);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(22);
    expect(new Set(seen.map((c) => c.id)).size).toBe(22);
    const order = seen.map((c) => [c.ts.getTime(), BigInt(c.id)] as const);
    for (let i = 1; i < order.length; i++) {
      expect(order[i][0] < order[i - 1][0] || (order[i][0] === order[i - 1][0] && order[i][1] < order[i - 1][1])).toBe(true);
    }
    expect(seen.every((c) => c.key?.alias === "alice-laptop" && c.identity?.name === "Alice")).toBe(true);
    await db.requestRecord.deleteMany({ where: { callerId: other } });
  });

  it("resolves endpoints by METHOD path, prefix and id", async () => {
    expect((await findEndpoints(db, "get /payments")).map((e) => e.id)).toEqual(["ep-list"]);
    expect((await findEndpoints(db, "/payments")).map((e) => e.id).sort()).toEqual(["ep-list", "ep-post", "ep-refund"]);
    expect((await findEndpoints(db, "ep-refund"))[0]).toMatchObject({ id: "ep-refund", apiName: "Payments" });
  });
});
