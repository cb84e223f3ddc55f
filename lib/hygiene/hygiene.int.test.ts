import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createDb } from "@/lib/db";
import { refreshUsage, USAGE_STATE } from "@/lib/sync/usage/rollup";
import { TEST_CONFIG, testEnv } from "@/lib/access/testing/stack";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { keyFlags, type RuleContext } from "./flags";
import { keyFlagCounts, keyHygieneBatches, keyHygienePage } from "./keys";
import { hygienePage } from "./page";

// The hygiene rules in SQL must give exactly the flags keyFlags gives in memory, over a varied set of
// keys; the usage rollup must count what request_records hold; the page must filter, sort and page.
const DAY = 86_400_000;
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
let fresh: FreshDatabase;
let db: PrismaClient;
let ctx: RuleContext;

async function seed() {
  await db.api.createMany({ data: ["a", "b", "c"].map((id) => ({ id, name: `API ${id.toUpperCase()}`, listenPath: `/${id}/`, definition: {} })) });
  await db.policy.create({ data: { id: "p-ab", name: "ab", apiIds: ["a", "b"], snapshot: {} } });
  await db.policy.create({ data: { id: "p-c", name: "c-only", apiIds: ["c"], snapshot: {} } });
  await db.policy.create({ data: { id: "p-none", name: "orphan", apiIds: ["a"], snapshot: {} } });
  const person = await db.identity.create({ data: { kind: "person", externalId: "p@x.test", email: "p@x.test", name: "P" } });
  // 240 keys over every combination of age, expiry, owner, policies and use.
  for (let i = 0; i < 240; i++) {
    const hash = `k${String(i).padStart(4, "0")}`;
    await db.key.create({
      data: {
        keyHash: hash, last4: hash.slice(-4), alias: i % 7 === 0 ? null : `key-${i}`, identityId: i % 5 === 0 ? null : person.id,
        policyIds: i % 2 ? ["p-ab"] : ["p-c"], apiIds: i % 2 ? ["a", "b"] : ["c"], snapshot: {},
        tykCreatedAt: ago([1, 20, 45, 100, 400][i % 5] + (i % 3)), expiresAt: i % 4 === 0 ? null : i % 4 === 1 ? ago(-10) : i % 4 === 2 ? ago(3) : ago(-400),
      },
    });
    // Callers: one per key; requests on some days to some APIs.
    const caller = await db.requestCaller.create({ data: { keyHash: hash, identityId: i % 5 === 0 ? null : person.id, policyIds: [] } });
    const uses = i % 6; // 0: never; else the day of its last use and how many APIs it calls
    if (!uses) continue;
    const apis = i % 2 ? (uses % 2 ? ["a"] : ["a", "b"]) : ["c"];
    for (const [n, api] of apis.entries()) {
      for (const d of [uses * 9, uses * 9 + 2]) {
        await db.$executeRaw`INSERT INTO request_records (source_id, ts, api_id, method, path, status, latency_ms, caller_id)
          VALUES (${BigInt(i * 1000 + n * 10 + d)}, ${new Date(ago(d).getTime() + n * 1000)}, ${api}, 'GET', '/x', ${d % 4 ? 200 : 500}, 10, ${caller.id})`;
      }
    }
  }
}

beforeAll(async () => {
  fresh = await freshDatabase();
  testEnv(fresh.url);
  db = createDb(fresh.url);
  await seed();
  await db.syncState.create({ data: { name: "analytics", value: { ts: NOW.toISOString() } } });
  const r = await refreshUsage(db, { windowDays: 30, now: NOW });
  ctx = { now: NOW, rotationDays: 90, unusedDays: 30, usageFrom: r.coverageFrom };
});
afterAll(async () => {
  await db?.$disconnect();
  await fresh?.drop();
});

describe("usage rollup", () => {
  it("sums request_records per key over the window, with the last time and the APIs called", async () => {
    const expected = await db.$queryRaw<{ key_hash: string; n: bigint; last: Date; apis: string[] }[]>`
      SELECT c.key_hash, count(*) AS n, max(r.ts) AS last, array_agg(DISTINCT r.api_id ORDER BY r.api_id) AS apis
        FROM request_records r JOIN request_callers c ON c.id = r.caller_id
       WHERE r.ts >= date_trunc('day', ${NOW}::timestamp) - interval '30 days' GROUP BY 1 ORDER BY 1`;
    const got = await db.usageSummary.findMany({ where: { kind: "key" }, orderBy: { subjectId: "asc" } });
    expect(got.map((u) => [u.subjectId, Number(u.requests), u.lastUsedAt?.getTime(), [...u.apiIds].sort()])).toEqual(
      expected.map((e) => [e.key_hash, Number(e.n), e.last.getTime(), e.apis]),
    );
    expect(got.length).toBeGreaterThan(50);
  });

  it("marks days final once ingestion is past them and does not read them again", async () => {
    const state = (await db.syncState.findUniqueOrThrow({ where: { name: USAGE_STATE } })).value as { final: string[] };
    const today = NOW.toISOString().slice(0, 10);
    expect(state.final).not.toContain(today);
    expect(state.final.length).toBeGreaterThan(25);
    // A row sneaked into a final day is not picked up (final days are never re-read) …
    const caller = await db.requestCaller.findFirstOrThrow({ where: { keyHash: "k0001" } });
    await db.$executeRaw`INSERT INTO request_records (source_id, ts, api_id, method, path, status, latency_ms, caller_id) VALUES (999999, ${ago(20)}, 'a', 'GET', '/x', 200, 1, ${caller.id})`;
    // … while today's is.
    await db.$executeRaw`INSERT INTO request_records (source_id, ts, api_id, method, path, status, latency_ms, caller_id) VALUES (999998, ${new Date(NOW.getTime() - 60_000)}, 'a', 'GET', '/x', 200, 1, ${caller.id})`;
    const before = await db.usageSummary.findUniqueOrThrow({ where: { kind_subjectId: { kind: "key", subjectId: "k0001" } } });
    const r = await refreshUsage(db, { windowDays: 30, now: NOW });
    expect(r.daysComputed).toBeLessThan(5);
    const after = await db.usageSummary.findUniqueOrThrow({ where: { kind_subjectId: { kind: "key", subjectId: "k0001" } } });
    expect(Number(after.requests)).toBe(Number(before.requests) + 1);
    expect(after.lastUsedAt!.getTime()).toBe(NOW.getTime() - 60_000);
  });
});

describe("key flags in SQL", () => {
  it("equal keyFlags for every key, and the counts equal the rows", async () => {
    const all = [];
    for await (const rows of keyHygieneBatches(db, {}, ctx, undefined, 50)) all.push(...rows);
    expect(all.length).toBe(240);
    for (const row of all) {
      const js = keyFlags({ createdAt: row.createdAt, expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt, identityId: row.identity?.id ?? null, apiIds: row.apiIds, calledApiIds: row.calledApiIds }, ctx);
      expect(row.flags, row.keyHash).toEqual(js);
    }
    const counts = await keyFlagCounts(db, ctx);
    expect(counts.total).toBe(240);
    for (const f of ["never_expires", "expired", "rotation_due", "unused", "no_owner", "over_broad"]) {
      const n = all.filter((r) => r.flags.some((x) => x.id === f)).length;
      expect(counts.byFlag[f], f).toBe(n);
      expect(n, `${f} occurs in the data set`).toBeGreaterThan(0);
      const page = await keyHygienePage(db, { flag: f as never, sort: "created", dir: "asc", page: 1, pageSize: 500 }, ctx);
      expect(page.total, `filter ${f}`).toBe(n);
    }
    expect(counts.flagged).toBe(all.filter((r) => r.flags.length).length);
  });

  it("sorts and pages: last used, newest first, never-used last", async () => {
    const p1 = await keyHygienePage(db, { sort: "last_used", dir: "desc", page: 1, pageSize: 20 }, ctx);
    const p2 = await keyHygienePage(db, { sort: "last_used", dir: "desc", page: 2, pageSize: 20 }, ctx);
    const seq = [...p1.rows, ...p2.rows].map((r) => r.lastUsedAt?.getTime() ?? -1);
    expect(seq).toEqual([...seq].sort((a, b) => b - a));
    const last = await keyHygienePage(db, { sort: "last_used", dir: "desc", page: 12, pageSize: 20 }, ctx);
    expect(last.rows.every((r) => r.lastUsedAt === null)).toBe(true);
    expect((await keyHygienePage(db, { q: "key-17", sort: "alias", dir: "asc", page: 1, pageSize: 50 }, ctx)).rows.map((r) => r.alias)).toEqual(["key-17", "key-170", "key-171", "key-172", "key-173", "key-174", "key-176", "key-177", "key-178", "key-179"]);
  });
});

describe("the page", () => {
  it("counts every kind the viewer may see; tokens and secrets only for admins", async () => {
    await db.apiToken.create({ data: { name: "old bot", prefix: "tl_abc123", tokenHash: "h1", scopes: ["read"], createdBy: "ada@acme.test", createdAt: ago(120) } });
    const admin = await hygienePage(db, TEST_CONFIG, { kind: "tokens", sort: "created", dir: "asc", page: 1, pageSize: 50 }, { adminKinds: true });
    expect(admin.items[0].flags.map((f) => f.id)).toEqual(["never_expires", "rotation_due", "unused"]);
    expect(Object.keys(admin.counts).sort()).toEqual(["keys", "oauth", "policies", "secrets", "tokens"]);
    const viewer = await hygienePage(db, TEST_CONFIG, { kind: "policies", sort: "alias", dir: "asc", page: 1, pageSize: 50 }, { adminKinds: false });
    expect(Object.keys(viewer.counts).sort()).toEqual(["keys", "oauth", "policies"]);
    // Keys under "ab" only ever call API a (odd keys call one API): b is granted and never called.
    expect(Object.fromEntries(viewer.items.map((i) => [i.label, i.flags.map((f) => f.id)]))).toEqual({ ab: ["over_broad"], "c-only": [], orphan: ["no_keys"] });
    await expect(hygienePage(db, TEST_CONFIG, { kind: "secrets", sort: "created", dir: "asc", page: 1, pageSize: 50 }, { adminKinds: false })).rejects.toMatchObject({ code: "forbidden" });
    await expect(hygienePage(db, TEST_CONFIG, { kind: "keys", flag: "no_keys", sort: "created", dir: "asc", page: 1, pageSize: 50 }, { adminKinds: false })).rejects.toMatchObject({ code: "bad_request", field: "flag" });
  });
});
