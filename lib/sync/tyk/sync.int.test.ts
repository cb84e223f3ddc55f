import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { z } from "zod";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { listKeys } from "@/lib/tyk/list-keys";
import { keysDetailedSchema } from "@/lib/tyk/schema";
import { createWorld } from "@/simulators/world";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { freshDatabases } from "@/tests/helpers/db";
import { BEFORE_FIRST_SYNC } from "./stage-history";
import { syncTyk } from "./sync";

// The simulator serves the world as of `new Date()`, so the tests move the clock (Date only; timers
// stay real) to sync before and after the seeded changes: a baseline at the start of the simulated
// day, then a sync at the anchor sees every change of the day and must attribute each one.
const API_KEY = "sync-int-key";
const ANCHOR = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const world = createWorld({ seed: 5, anchor: ANCHOR });
const DAY_START = new Date(ANCHOR.getTime() - 24 * 3_600_000 + 60_000);
const culprit = world.events.find((e) => e.kind === "policy" && e.targetId === world.incident.policyId)!;

let sim: TykSimulator;
let client: TykClient;
const dbs = freshDatabases();
const newDb = async (): Promise<PrismaClient> => (await dbs.create()).db;

async function rowCounts(db: PrismaClient) {
  return {
    apis: await db.api.count(), apiVersions: await db.apiVersion.count(), endpoints: await db.endpoint.count(),
    policies: await db.policy.count(), policyVersions: await db.policyVersion.count(),
    keys: await db.key.count(), keyVersions: await db.keyVersion.count(), identities: await db.identity.count(),
    oauth: await db.oAuthClient.count(), changes: await db.accessChange.count(), audit: await db.tykAuditEntry.count(),
  };
}

function at(t: Date) {
  vi.setSystemTime(t);
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  sim = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 4 });
  client = createTykClient({ baseUrl: sim.url, apiKey: API_KEY, retryBaseMs: 1 });
});
afterEach(() => at(ANCHOR));
afterAll(async () => {
  vi.useRealTimers();
  await sim?.close();
  await dbs.dropAll();
});

describe("syncTyk", () => {
  it("baseline, then every change of the day attributed to its audited actor and time; idempotent", async () => {
    const db = await newDb();
    at(DAY_START);
    const first = await syncTyk({ db, client, auditLog: "auto", trigger: "test" });
    expect(first.status).toBe("succeeded");
    expect(await db.accessChange.count()).toBe(0); // nothing happened before DAY_START
    const state0 = world.stateAt(DAY_START);
    expect(await db.policy.count()).toBe(state0.policies.length);
    expect(await db.key.count()).toBe(state0.keys.length);
    expect(await db.endpoint.count({ where: { apiId: world.incident.endpoint.apiId, method: "GET", path: "/orders" } })).toBe(1);
    const bob = await db.key.findFirst({ where: { alias: "globex-batch" }, include: { identity: true } });
    expect(bob?.identity).toMatchObject({ kind: "service", externalId: "globex-batch" });
    expect(bob?.keyHash).toBe(world.incident.culpritKeyHash);
    const stored = JSON.stringify(await db.key.findMany({ include: { versions: true } }), (_k, v) => (typeof v === "bigint" ? String(v) : v));
    for (const k of state0.keys) expect(stored).not.toContain(k.rawKey);

    at(ANCHOR);
    const second = await syncTyk({ db, client, auditLog: "auto", trigger: "test" });
    expect(second.status).toBe("succeeded");
    const gold = await db.accessChange.findFirstOrThrow({ where: { kind: "policy", targetId: world.incident.policyId } });
    expect(gold).toMatchObject({ action: "update", actor: "ada@acme.test", timeSource: "audit", version: 2, targetLabel: "partner-gold" });
    expect(gold.changedAt.getTime()).toBe(Math.floor(culprit.at.getTime() / 1000) * 1000);
    expect(gold.diff).toEqual(expect.arrayContaining([{ path: "rate", before: 100, after: 2000 }]));
    expect(gold.apiIds).toContain(world.incident.endpoint.apiId);
    expect(gold.keyHashes).toContain(world.incident.culpritKeyHash);

    // Every change event whose target survives to the anchor is an AccessChange by the same actor.
    const changes = await db.accessChange.findMany();
    const rotation = changes.find((c) => c.action === "rotate");
    expect(rotation).toMatchObject({ kind: "key", targetLabel: "mobile-app", actor: "rui@acme.test" });
    expect(rotation?.keyHashes).toHaveLength(2);
    const revoked = changes.find((c) => c.kind === "key" && c.action === "revoke");
    expect(revoked).toMatchObject({ targetLabel: "trial-wayne", actor: "rui@acme.test", timeSource: "audit" });
    const created = changes.find((c) => c.kind === "api" && c.action === "create");
    expect(created).toMatchObject({ targetLabel: "Inventory API", actor: "ada@acme.test", timeSource: "audit" });
    const unattributed = changes.filter((c) => c.timeSource !== "audit").map((c) => ({ kind: c.kind, action: c.action, label: c.targetLabel, diff: c.diff }));
    expect(unattributed).toEqual([]);

    const before = await rowCounts(db);
    const third = await syncTyk({ db, client, auditLog: "auto", trigger: "test" });
    expect(third.status).toBe("succeeded");
    expect(await rowCounts(db)).toEqual(before);
  });

  it("a first sync after the edit shows it from the audit log, marked as before Touchline's first sync", async () => {
    const db = await newDb();
    at(ANCHOR);
    await syncTyk({ db, client, auditLog: "on", trigger: "test" });
    const pre = await db.accessChange.findMany({ where: { kind: "policy", targetId: world.incident.policyId } });
    expect(pre).toHaveLength(1);
    expect(pre[0]).toMatchObject({ actor: "ada@acme.test", version: null, diff: [], timeSource: "audit", targetLabel: "partner-gold" });
    expect((pre[0].auditEntries as { note?: string }[])[0].note).toBe(BEFORE_FIRST_SYNC);
    // It reaches what the policy reaches now: its APIs and every key under it.
    const under = await db.key.findMany({ where: { policyIds: { has: world.incident.policyId } }, select: { keyHash: true } });
    expect(under.length).toBeGreaterThan(0);
    expect([...pre[0].keyHashes].sort()).toEqual(under.map((k) => k.keyHash).sort());
    expect(pre[0].apiIds).toEqual((await db.policy.findUniqueOrThrow({ where: { id: world.incident.policyId } })).apiIds);
    for (const change of await db.accessChange.findMany({ where: { kind: "key", version: null } })) {
      const key = await db.key.findUnique({ where: { keyHash: change.targetId } });
      if (key) expect({ label: change.targetLabel, apiIds: change.apiIds }).toEqual({ label: key.alias ?? `…${key.keyHash.slice(-4)}`, apiIds: key.apiIds });
    }
    const n = await db.accessChange.count();
    await syncTyk({ db, client, auditLog: "on", trigger: "test" });
    expect(await db.accessChange.count()).toBe(n);
  });

  it("with the audit log off, still finds every change, timed when first seen", async () => {
    const db = await newDb();
    at(DAY_START);
    await syncTyk({ db, client, auditLog: "off", trigger: "test" });
    at(ANCHOR);
    await syncTyk({ db, client, auditLog: "off", trigger: "test" });
    const gold = await db.accessChange.findFirstOrThrow({ where: { kind: "policy", targetId: world.incident.policyId } });
    expect(gold).toMatchObject({ actor: null, timeSource: "first_seen", auditEntries: [] });
    expect(gold.changedAt.getTime()).toBe(ANCHOR.getTime());
    expect(gold.diff).toEqual(expect.arrayContaining([{ path: "rate", before: 100, after: 2000 }]));
    expect(await db.tykAuditEntry.count()).toBe(0);
  });

  it("falls back to first-seen on a Dashboard without the audit API (auto)", async () => {
    const bare = await startTykSimulator({ world, apiKey: API_KEY, auditLog: false });
    try {
      const db = await newDb();
      const c = createTykClient({ baseUrl: bare.url, apiKey: API_KEY });
      at(DAY_START);
      expect((await syncTyk({ db, client: c, auditLog: "auto", trigger: "test" })).status).toBe("succeeded");
      at(ANCHOR);
      await syncTyk({ db, client: c, auditLog: "auto", trigger: "test" });
      const gold = await db.accessChange.findFirstOrThrow({ where: { kind: "policy", targetId: world.incident.policyId } });
      expect(gold.timeSource).toBe("first_seen");
      const strict = await syncTyk({ db, client: c, auditLog: "on", trigger: "test" });
      expect(strict.status).toBe("failed");
    } finally {
      await bare.close();
    }
  });

  it("killed mid-run resumes without duplicates", async () => {
    const db = await newDb();
    at(DAY_START);
    await syncTyk({ db, client, auditLog: "auto", trigger: "test" });
    at(ANCHOR);
    // Abort when the keys stage starts listing: policies and APIs are done, keys are not.
    const ac = new AbortController();
    const killing: TykClient = {
      baseUrl: client.baseUrl,
      request(req) {
        if (req.path === "/api/keys/detailed") ac.abort(new Error("killed"));
        return client.request({ ...req, signal: ac.signal });
      },
    };
    const killed = await syncTyk({ db, client: killing, auditLog: "auto", trigger: "test", signal: ac.signal });
    expect(killed.status).toBe("failed");
    expect(await db.accessChange.count({ where: { kind: "policy", targetId: world.incident.policyId } })).toBe(1);
    expect(await db.accessChange.count({ where: { kind: "key" } })).toBe(0);

    const resumed = await syncTyk({ db, client, auditLog: "auto", trigger: "test" });
    expect(resumed.status).toBe("succeeded");
    expect(resumed.counts.resumed).toBe(1);
    expect(await db.accessChange.count({ where: { kind: "policy", targetId: world.incident.policyId } })).toBe(1);
    expect(await db.accessChange.count({ where: { kind: "key", action: "rotate" } })).toBe(1);
    expect(await db.key.count({ where: { deletedAt: null } })).toBe(world.stateAt(ANCHOR).keys.length);
    const settled = await rowCounts(db);
    await syncTyk({ db, client, auditLog: "auto", trigger: "test" });
    expect(await rowCounts(db)).toEqual(settled);
  });

  it("a first sync stores keys while it lists them, and what it stores is the final listing when the estate moves under it", async () => {
    // Its own Dashboard: the live writes below would show in the other tests' listings.
    const own = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 4 });
    try {
      const direct = createTykClient({ baseUrl: own.url, apiKey: API_KEY, retryBaseMs: 1 });
      const db = await newDb();
      const write = (method: "PUT" | "POST" | "DELETE", path: string, body?: unknown) => direct.request({ method, path, body, schema: z.unknown() });
      let gone = "", renamed = "";
      const moving: TykClient = {
        baseUrl: direct.baseUrl,
        async request(req) {
          const p = req.path === "/api/keys/detailed" ? Number(req.query?.p) : 0;
          if (p === 3 && !gone) {
            // Pages 1 and 2 were handed to the writer; then a key of page 1 is deleted, one renamed,
            // and five created (one more page: the listing walks again).
            const [a, b] = (await direct.request({ path: "/api/keys/detailed", query: { p: 1 }, schema: keysDetailedSchema })).keys;
            gone = a.key_hash!;
            renamed = b.key_hash!;
            await write("DELETE", `/api/keys/${a.key_id}`);
            await write("PUT", `/api/keys/${b.key_id}`, { ...b.data, alias: "renamed-mid-listing" });
            for (let i = 0; i < 5; i++) await write("POST", "/api/keys", { alias: `added-${i}`, apply_policies: [], access_rights: {}, org_id: world.orgId });
          }
          return direct.request(req);
        },
      };
      const first = await syncTyk({ db, client: moving, auditLog: "auto", trigger: "test" });
      expect(first.status, JSON.stringify(first.errors)).toBe("succeeded");
      const listed = await listKeys(direct);
      const rows = await db.key.findMany({ select: { keyHash: true, alias: true, version: true } });
      expect(new Map(rows.map((r) => [r.keyHash, r.alias]))).toEqual(new Map(listed.map((k) => [k.key_hash, k.data.alias || null])));
      expect(rows.find((r) => r.keyHash === renamed)?.alias).toBe("renamed-mid-listing");
      expect(await db.keyVersion.count({ where: { keyHash: gone } })).toBe(0);
      expect(await db.keyVersion.count()).toBe(listed.length);
      expect(rows.every((r) => r.version === 1)).toBe(true);
      expect(first.counts.keys_create).toBe(listed.length);
    } finally {
      await own.close();
    }
  });
});
