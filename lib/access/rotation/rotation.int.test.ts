import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { verifyAuditChain } from "@/lib/audit/verify";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { keyExists } from "../key-exists";
import { runAccessJob } from "../jobs";
import { asAdmin, startAccessStack, TEST_CONFIG, type AccessStack } from "../testing/stack";
import { cancelRotation, deleteOldKeyNow } from "./finish";
import { rotateClientSecret } from "./oauth";
import { createNewKey, startKeyRotation } from "./start";
import { getRotation } from "./view";

// Rotation end to end over HTTP against the Tyk simulator: plan → new key (same session, shown
// once) → traffic watched from ingested request records → old key deleted when the grace period
// ends, by the access job; and the outages in between.
let s: AccessStack;
const job = () => runAccessJob(s.db, { config: TEST_CONFIG, tykClient: async () => s.client, lastUsageRefresh: new Date() });
const worldKey = (alias: string) => s.world.stateAt(new Date()).keys.find((k) => k.alias === alias)!;
const endGrace = (id: string) => s.db.rotation.update({ where: { id }, data: { deleteAfter: new Date(Date.now() - 1000), nextAttemptAt: null } });

beforeAll(async () => {
  s = await startAccessStack();
});
afterAll(async () => s?.close());

describe("key rotation", () => {
  it("creates the new key with the same session and identity, watches traffic move, deletes the old key at the end of the grace period", async () => {
    const old = worldKey("bob-dev");
    const oldRow = await s.db.key.findUniqueOrThrow({ where: { keyHash: old.hash } });
    const { rotation, rawKey } = await startKeyRotation(s.db, s.client, { keyHash: old.hash, graceHours: 24 }, asAdmin);
    expect(rotation.state).toBe("grace");
    expect(rotation.deleteAfter!.getTime() - rotation.newCreatedAt!.getTime()).toBe(24 * 3_600_000);
    const newHash = rotation.newKeyHash!;
    expect(rawKey.startsWith(s.world.orgId)).toBe(true);

    // Same alias, meta_data, policies in Tyk; same identity in Touchline; a rotate change linking both.
    expect(await keyExists(s.client, newHash)).toBe(true);
    const newRow = await s.db.key.findUniqueOrThrow({ where: { keyHash: newHash } });
    expect(newRow).toMatchObject({ alias: oldRow.alias, identityId: oldRow.identityId, policyIds: oldRow.policyIds, apiIds: oldRow.apiIds });
    expect((newRow.snapshot as { meta_data: unknown }).meta_data).toEqual((oldRow.snapshot as { meta_data: unknown }).meta_data);
    const change = await s.db.accessChange.findFirstOrThrow({ where: { kind: "key", targetId: newHash } });
    expect(change).toMatchObject({ action: "rotate", actor: "ada@acme.test", timeSource: "audit", keyHashes: [newHash, old.hash].sort() });
    expect(await keyExists(s.client, old.hash)).toBe(true);

    // Nothing is stored raw.
    const rows = await s.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM rotations t WHERE to_jsonb(t)::text LIKE ${`%${rawKey}%`}`;
    expect(Number(rows[0].n)).toBe(0);

    // Callers move: the new key serves requests, which ingest attributes to the same identity.
    expect((await s.serve(rawKey, 4)).status).toBe(200);
    await s.ingest();
    const detail = (await getRotation(s.db, rotation.id))!;
    expect(detail.traffic?.new.requests).toBe(4);
    const caller = await s.db.requestCaller.findFirstOrThrow({ where: { keyHash: newHash } });
    expect(caller.identityId).toBe(oldRow.identityId);

    // Within the grace period the job leaves both keys alone; past it, it deletes the old one.
    expect((await job()).rotationsCompleted).toBe(0);
    expect(await keyExists(s.client, old.hash)).toBe(true);
    await endGrace(rotation.id);
    expect((await job()).rotationsCompleted).toBe(1);
    expect(await keyExists(s.client, old.hash)).toBe(false);
    expect(await keyExists(s.client, newHash)).toBe(true);
    expect((await s.serve(old.rawKey)).status).toBe(403);
    const done = (await getRotation(s.db, rotation.id))!;
    expect(done.rotation.state).toBe("completed");
    expect(done.timeline.map((e) => e.type)).toEqual(["planned", "new_key_created", "old_key_deleted"]);
    const revoke = await s.db.accessChange.findFirstOrThrow({ where: { kind: "key", targetId: old.hash, action: "revoke" } });
    expect(revoke.keyHashes).toEqual([newHash, old.hash].sort());
    expect((await s.db.key.findUniqueOrThrow({ where: { keyHash: old.hash } })).deletedAt).not.toBeNull();

    // The Tyk sync agrees and records nothing twice.
    const before = await s.db.accessChange.count({ where: { targetId: { in: [old.hash, newHash] } } });
    expect((await syncTyk({ db: s.db, client: s.client, auditLog: "auto", trigger: "test", fullReconcile: { everyRuns: 1 } })).status).toBe("succeeded");
    expect(await s.db.accessChange.count({ where: { targetId: { in: [old.hash, newHash] } } })).toBe(before);
    expect((await s.db.auditEvent.findMany({ where: { targetId: rotation.id } })).map((a) => a.action)).toEqual(["key.rotate.plan", "key.rotate.create", "key.rotate.complete"]);
    expect((await verifyAuditChain(s.db, { sink: null })).verdict.ok).toBe(true);
  });

  it("refuses a second active rotation of the same key, and deletes early on request", async () => {
    const key = worldKey("maya-dev");
    const first = await startKeyRotation(s.db, s.client, { keyHash: key.hash, graceHours: 1 }, asAdmin);
    await expect(startKeyRotation(s.db, s.client, { keyHash: key.hash, graceHours: 1 }, asAdmin)).rejects.toMatchObject({ code: "conflict" });
    expect(await deleteOldKeyNow(s.db, s.client, first.rotation.id, asAdmin)).toBe("completed");
    expect(await keyExists(s.client, key.hash)).toBe(false);
  });

  it("a cancelled rotation keeps both keys and is never finished by the job", async () => {
    const key = worldKey("initech-sync");
    const { rotation } = await startKeyRotation(s.db, s.client, { keyHash: key.hash, graceHours: 24 }, asAdmin);
    await cancelRotation(s.db, rotation.id, asAdmin);
    await s.db.rotation.update({ where: { id: rotation.id }, data: { deleteAfter: new Date(0) } });
    await job();
    expect(await keyExists(s.client, key.hash)).toBe(true);
    expect(await keyExists(s.client, rotation.newKeyHash!)).toBe(true);
    expect((await getRotation(s.db, rotation.id))!.rotation.state).toBe("cancelled");
  });
});

describe("a Tyk outage mid-rotation", () => {
  it("failed create: the rotation waits in `creating` with the reason, the old key untouched; a retry finishes it", async () => {
    const key = worldKey("reports-cron");
    const keysBefore = await s.db.key.count();
    s.sim.setFault({ kind: "500", path: /^\/api\/keys$/ });
    const err = await startKeyRotation(s.db, s.client, { keyHash: key.hash, graceHours: 1 }, asAdmin).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("upstream_unavailable");
    const waiting = await s.db.rotation.findFirstOrThrow({ where: { oldKeyHash: key.hash } });
    expect(waiting).toMatchObject({ state: "creating", newKeyHash: null });
    expect(waiting.lastError).toMatch(/Tyk did not create the new key.*500.*old key is untouched/);
    // The job never deletes from `creating`, however old it is.
    await s.db.rotation.update({ where: { id: waiting.id }, data: { deleteAfter: new Date(0) } });
    await job();
    expect(await keyExists(s.client, key.hash)).toBe(true);
    await expect(deleteOldKeyNow(s.db, s.client, waiting.id, asAdmin)).rejects.toMatchObject({ code: "conflict" });
    expect(await s.db.key.count()).toBe(keysBefore);
    s.sim.setFault(null);
    const retried = await createNewKey(s.db, s.client, waiting.id, asAdmin);
    expect(retried.rotation.state).toBe("grace");
    expect(await keyExists(s.client, retried.rotation.newKeyHash!)).toBe(true);
  });

  it("failed delete: the old key keeps working, the job retries later and finishes once Tyk is back", async () => {
    const key = worldKey("billing-worker");
    const { rotation } = await startKeyRotation(s.db, s.client, { keyHash: key.hash, graceHours: 1 }, asAdmin);
    await endGrace(rotation.id);
    s.sim.setFault({ kind: "500", path: new RegExp(`^/api/keys/${key.hash}$`) });
    await job();
    const waiting = (await getRotation(s.db, rotation.id))!.rotation;
    expect(waiting).toMatchObject({ state: "grace" });
    expect(waiting.lastError).toMatch(/Could not delete the old key/);
    expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
    s.sim.setFault(null);
    expect(await keyExists(s.client, key.hash)).toBe(true);
    await endGrace(rotation.id);
    expect((await job()).rotationsCompleted).toBe(1);
    expect(await keyExists(s.client, key.hash)).toBe(false);
  });

  it("never deletes the old key when the new one is gone from Tyk", async () => {
    const key = worldKey("search-indexer");
    const { rotation } = await startKeyRotation(s.db, s.client, { keyHash: key.hash, graceHours: 1 }, asAdmin);
    await s.client.request({ method: "DELETE", path: `/api/keys/${rotation.newKeyHash}`, query: { hashed: "1" }, schema: (await import("@/lib/tyk/schema")).apiStatusSchema });
    await endGrace(rotation.id);
    await job();
    const failed = (await getRotation(s.db, rotation.id))!.rotation;
    expect(failed.state).toBe("failed");
    expect(failed.lastError).toMatch(/new key no longer exists/);
    expect(await keyExists(s.client, key.hash)).toBe(true);
  });

  it("an answer lost after a create says a key may exist and leaves the old key alone", async () => {
    const slow = await startAccessStack({ seed: 8, clientTimeoutMs: 300 });
    try {
      const key = slow.world.stateAt(new Date()).keys.find((k) => k.alias === "trial-umbrella")!;
      slow.sim.setFault({ kind: "slow", ms: 1500, path: /^\/api\/keys$/ });
      const err = await startKeyRotation(slow.db, slow.client, { keyHash: key.hash, graceHours: 1 }, asAdmin).catch((e) => e);
      expect(err.code).toBe("upstream_unavailable");
      expect(err.message).toMatch(/may have made a key.*"trial-umbrella".*never shown/);
      expect((await slow.db.rotation.findFirstOrThrow({ where: { oldKeyHash: key.hash } })).state).toBe("creating");
      expect(await keyExists(slow.client, key.hash)).toBe(true);
    } finally {
      slow.sim.setFault(null);
      await slow.close();
    }
  });
});

describe("OAuth client secret rotation", () => {
  it("regenerates the secret once, records a rotate access change and audits it", async () => {
    const app = s.world.stateAt(new Date()).oauthClients[0];
    const { rotation, secret } = await rotateClientSecret(s.db, s.client, app.clientId, asAdmin);
    expect(rotation.state).toBe("completed");
    expect(secret.length).toBeGreaterThan(20);
    const change = await s.db.accessChange.findFirstOrThrow({ where: { kind: "oauth_client", targetId: app.clientId, action: "rotate" } });
    expect(change.actor).toBe("ada@acme.test");
    const rows = await s.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM access_changes t WHERE to_jsonb(t)::text LIKE ${`%${secret}%`}`;
    expect(Number(rows[0].n)).toBe(0);
    s.sim.setFault({ kind: "500", path: /rotate$/ });
    await expect(rotateClientSecret(s.db, s.client, app.clientId, asAdmin)).rejects.toMatchObject({ code: "upstream_unavailable" });
    s.sim.setFault(null);
  });
});
