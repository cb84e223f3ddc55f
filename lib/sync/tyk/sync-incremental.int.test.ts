import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { createWorld } from "@/simulators/world";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { freshDatabases } from "@/tests/helpers/db";
import { syncTyk } from "./sync";

// Change-driven incremental runs: with the audit log on, an incremental keys pass fetches only the
// keys audited writes name. The world's key PUT (billing-worker) and DELETE (trial-wayne) have no
// other write within the hour around them, so the runs below stay change-driven.
const API_KEY = "sync-incr-key";
const ANCHOR = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const world = createWorld({ seed: 5, anchor: ANCHOR });
const keyEvent = (action: string) => world.events.find((e) => e.kind === "key" && e.action === action && e.url.startsWith("/api/keys/"))!;
const minutes = (t: Date, m: number) => new Date(t.getTime() + m * 60_000);

let sim: TykSimulator;
let base: TykClient;
const dbs = freshDatabases();
const newDb = async (): Promise<PrismaClient> => (await dbs.create()).db;

/** The client, recording each request's path. */
function recording(): { client: TykClient; paths: string[] } {
  const paths: string[] = [];
  return { paths, client: { baseUrl: base.baseUrl, request: (req) => (paths.push(req.path), base.request(req)) } };
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  sim = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 4 });
  base = createTykClient({ baseUrl: sim.url, apiKey: API_KEY, retryBaseMs: 1 });
});
afterEach(() => vi.setSystemTime(ANCHOR));
afterAll(async () => {
  vi.useRealTimers();
  await sim?.close();
  await dbs.dropAll();
});

describe("syncTyk incremental (audit-driven keys pass)", () => {
  it("an incremental run with no audited writes lists no keys and writes nothing", async () => {
    const db = await newDb();
    const t0 = minutes(keyEvent("update").at, -30);
    vi.setSystemTime(t0);
    expect((await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" })).status).toBe("succeeded");
    const before = { keys: await db.keyVersion.count(), changes: await db.accessChange.count() };
    vi.setSystemTime(minutes(t0, 5));
    const rec = recording();
    const run = await syncTyk({ db, client: rec.client, auditLog: "auto", trigger: "test" });
    expect(run.status).toBe("succeeded");
    expect(run.counts.keys_change_driven).toBe(1);
    expect(rec.paths.filter((p) => p.startsWith("/api/keys"))).toEqual([]);
    // Nor policies or per-API OAuth clients: the audit log shows no write that could change them.
    expect(run.counts).toMatchObject({ policies_change_driven_skip: 1, oauth_change_driven_skip: 1 });
    expect(rec.paths.filter((p) => p.startsWith("/api/portal/policies") || p.startsWith("/api/apis/oauth/"))).toEqual([]);
    expect({ keys: await db.keyVersion.count(), changes: await db.accessChange.count() }).toEqual(before);
  });

  it("lists every API's OAuth clients again after an audited OAuth client write, still skipping policies", async () => {
    const db = await newDb();
    const e = world.events.find((x) => x.kind === "oauth_client" && x.action === "create")!;
    vi.setSystemTime(minutes(e.at, -30));
    await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
    vi.setSystemTime(minutes(e.at, -25));
    const quiet = await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
    expect(quiet.counts.oauth_change_driven_skip).toBe(1);
    vi.setSystemTime(minutes(e.at, 10));
    const rec = recording();
    const run = await syncTyk({ db, client: rec.client, auditLog: "auto", trigger: "test" });
    expect(run.status).toBe("succeeded");
    expect(run.counts.oauth_change_driven_skip).toBeUndefined();
    expect(rec.paths.some((p) => p.startsWith("/api/apis/oauth/"))).toBe(true);
    expect(rec.paths.filter((p) => p.startsWith("/api/apis/oauth/"))).toHaveLength(run.counts.apis);
    expect(run.counts.policies_change_driven_skip).toBe(1);
    // The new client is stored, attributed to the audited write, and its secret is not kept.
    const created = await db.oAuthClient.findUniqueOrThrow({ where: { id: e.targetId } });
    expect(created.deletedAt).toBeNull();
    expect(JSON.stringify(created.snapshot)).not.toContain("secret");
    const change = await db.accessChange.findFirstOrThrow({ where: { kind: "oauth_client", targetId: e.targetId, action: "create" } });
    expect(change.actor).toBe(e.actor);
  });

  it("picks up a key PUT and a key DELETE between runs by fetching only those keys, attributed as before", async () => {
    for (const action of ["update", "revoke"] as const) {
      const e = keyEvent(action);
      const db = await newDb();
      vi.setSystemTime(minutes(e.at, -30));
      await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
      vi.setSystemTime(minutes(e.at, 10));
      const rec = recording();
      const run = await syncTyk({ db, client: rec.client, auditLog: "auto", trigger: "test" });
      expect(run.counts.keys_change_driven).toBe(1);
      expect(rec.paths.filter((p) => p.startsWith("/api/keys"))).toEqual([`/api/keys/${e.targetId}`]);
      // (version null rows are the baseline's pre-history from the audit lookback.)
      const changes = await db.accessChange.findMany({ where: { kind: "key", version: { not: null } } });
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ targetId: e.targetId, action, actor: e.actor, timeSource: "audit" });
      expect(changes[0].changedAt.getTime()).toBe(Math.floor(e.at.getTime() / 1000) * 1000);
      const row = await db.key.findUniqueOrThrow({ where: { keyHash: e.targetId } });
      expect(row.deletedAt !== null).toBe(action === "revoke");
      // Idempotent: the same audit entries again (overlap) change nothing.
      const n = await db.keyVersion.count();
      await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
      expect(await db.keyVersion.count()).toBe(n);
      expect(await db.accessChange.count({ where: { kind: "key", version: { not: null } } })).toBe(1);
    }
  });

  it("still lists every key when a policy was written, and every hour regardless", async () => {
    const db = await newDb();
    const e = keyEvent("update");
    vi.setSystemTime(minutes(e.at, -30));
    await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
    vi.setSystemTime(minutes(e.at, 20));
    const r = await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
    expect(r.counts.keys_change_driven).toBe(1);
    vi.setSystemTime(minutes(e.at, 31 + 60));
    const hourly = await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
    expect(hourly.counts.keys_full_every_ms).toBe(1);
    // free-tier's quota edit: every free-tier key's session changes, found by listing them all.
    const edit = world.events.find((x) => x.kind === "policy" && x.action === "update" && x.description.startsWith("free-tier"))!;
    vi.setSystemTime(minutes(edit.at, -30));
    await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
    vi.setSystemTime(minutes(edit.at, 10));
    const run = await syncTyk({ db, client: base, auditLog: "auto", trigger: "test" });
    expect(run.counts.keys_full_policy_write).toBe(1);
    expect((run.counts.keys_update ?? 0) + (run.counts.keys_policy_derived ?? 0)).toBeGreaterThan(0);
  });
});
