import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { verifyAuditChain } from "@/lib/audit/verify";
import { loadAccessChanges } from "@/lib/investigation/load-changes";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { getPolicy } from "@/lib/tyk/get-policy";
import { updatePolicy } from "@/lib/tyk/update-policy";
import type { SimKey } from "@/simulators/world";
import { asAdmin, startAccessStack, type AccessStack } from "@/lib/access/testing/stack";
import { applyLimitChange, rollbackLimitChange } from "./apply";

// Apply and roll back over HTTP against the Tyk Dashboard simulator: Tyk's state, Touchline's
// records, the next sync, the gateway's 429s, conflicts and refusals.
let s: AccessStack;
let key: SimKey;
let policyId: string;
const sync = () => syncTyk({ db: s.db, client: s.client, auditLog: "auto", trigger: "test", fullReconcile: { everyRuns: 1 } });
const rejected = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ApiError);

beforeAll(async () => {
  s = await startAccessStack();
  // A key with one policy, whose raw key the world knows.
  const state = s.world.stateAt(new Date());
  const limited = new Set(state.policies.filter((p) => p.rate > 5).map((p) => p.id));
  key = state.keys.find((k) => k.policyIds.length === 1 && limited.has(k.policyIds[0]) && !k.isInactive && !k.expires)!;
  policyId = key.policyIds[0];
});
afterAll(async () => s?.close());

describe("rate-limit apply and rollback against the Tyk simulator", () => {
  it("dry run: the reviewed before/after and diff, Tyk untouched", async () => {
    const row = await s.db.policy.findUniqueOrThrow({ where: { id: policyId } });
    const before = await getPolicy(s.client, policyId);
    const r = await applyLimitChange(s.db, s.client, { policyId, scope: "policy", rate: 5, per: 60, baseVersion: row.version, dryRun: true }, asAdmin);
    expect(r.dryRun).toBe(true);
    expect(r.plan.before).toMatchObject({ rate: before.rate, per: before.per });
    expect(r.plan.diff).toEqual(expect.arrayContaining([{ path: "rate", before: before.rate, after: 5 }]));
    expect((await getPolicy(s.client, policyId)).rate).toBe(before.rate);
    expect(await s.db.limitChange.count()).toBe(0);
  });

  it("applies: Tyk changes, a new version by the console user, the sync agrees, the gateway answers 429 past the rate; rollback restores it", async () => {
    const row = await s.db.policy.findUniqueOrThrow({ where: { id: policyId } });
    const original = await getPolicy(s.client, policyId);
    const r = await applyLimitChange(s.db, s.client, { policyId, scope: "policy", rate: 5, per: 60, baseVersion: row.version, endpointId: undefined, reason: "test" }, asAdmin);
    if (r.dryRun) throw new Error("not applied");
    expect(await getPolicy(s.client, policyId)).toMatchObject({ rate: 5, per: 60 });
    const after = await s.db.policy.findUniqueOrThrow({ where: { id: policyId } });
    expect(after).toMatchObject({ version: row.version + 1, rate: 5, per: 60 });
    const change = await s.db.accessChange.findFirstOrThrow({ where: { kind: "policy", targetId: policyId, version: row.version + 1 } });
    expect(change).toMatchObject({ action: "update", actor: "ada@acme.test", timeSource: "audit" });
    expect(change.keyHashes).toContain(key.hash);
    expect(r.change).toMatchObject({ action: "apply", version: row.version + 1, baseVersion: row.version, actor: "ada@acme.test" });

    // The next sync sees that version (the console user's), and records nothing twice.
    const changes = await s.db.accessChange.count({ where: { targetId: policyId } });
    expect((await sync()).status).toBe("succeeded");
    expect(await s.db.accessChange.count({ where: { targetId: policyId } })).toBe(changes);
    expect((await s.db.policy.findUniqueOrThrow({ where: { id: policyId } })).version).toBe(row.version + 1);

    // The gateway obeys the new limit: 5 per 60 s, the rest 429 in the Pump table.
    expect(await s.serve(key.rawKey, 12)).toMatchObject({ status: 200, served: 12, rateLimited: 7 });
    await s.ingest();
    const statuses = await s.db.$queryRaw<{ status: number; n: bigint }[]>`
      SELECT r.status, count(*) AS n FROM request_records r JOIN request_callers c ON c.id = r.caller_id
      WHERE c.key_hash = ${key.hash} AND r.ts > ${new Date(Date.now() - 300_000)} GROUP BY r.status`;
    const by = Object.fromEntries(statuses.map((x) => [x.status, Number(x.n)]));
    // The world's own traffic of that key is limited as well from now on.
    expect(by[429]).toBeGreaterThanOrEqual(7);

    // A later investigation of an endpoint the key calls sees the limit change as a touch, by the console user.
    const [ep] = await s.db.$queryRaw<{ id: string; api_id: string }[]>`
      SELECT e.id, e.api_id FROM request_records r JOIN request_callers c ON c.id = r.caller_id JOIN endpoints e ON e.id = r.endpoint_id
      WHERE c.key_hash = ${key.hash} AND r.status = 429 LIMIT 1`;
    const touches = await loadAccessChanges(s.db, { id: ep.id, apiId: ep.api_id }, Date.now() - 600_000, Date.now() + 60_000);
    expect(touches.find((t) => t.kind === "policy" && t.targetId === policyId)).toMatchObject({ actor: "ada@acme.test" });

    // Rollback: the previous values in one step, audited, the apply marked.
    const back = await rollbackLimitChange(s.db, s.client, r.change.id, asAdmin);
    if (back.dryRun) throw new Error("not rolled back");
    expect(await getPolicy(s.client, policyId)).toMatchObject({ rate: original.rate, per: original.per });
    expect((await s.db.limitChange.findUniqueOrThrow({ where: { id: r.change.id } })).rolledBackBy).toBe(back.change.id);
    expect((await s.db.policy.findUniqueOrThrow({ where: { id: policyId } })).version).toBe(row.version + 2);
    expect((await rejected(rollbackLimitChange(s.db, s.client, r.change.id, asAdmin)))?.code).toBe("conflict");
    const audit = await s.db.auditEvent.findMany({ where: { targetId: policyId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["limits.apply", "limits.rollback"]);
    expect((await verifyAuditChain(s.db, { sink: null })).verdict.ok).toBe(true);
  });

  it("refuses a stale review and a policy changed in Tyk since the sync, showing what changed; Tyk untouched", async () => {
    const row = await s.db.policy.findUniqueOrThrow({ where: { id: policyId } });
    const stale = await rejected(applyLimitChange(s.db, s.client, { policyId, scope: "policy", rate: 4, per: 60, baseVersion: row.version - 1 }, asAdmin));
    expect(stale).toMatchObject({ code: "conflict" });
    expect(stale!.message).toMatch(/changed since it was reviewed \(version \d+ → \d+ by ada@acme.test\): per: 60 → 1; rate: 5 → \d+/);

    // Someone edits the policy in Tyk directly; Touchline has not synced it yet.
    const tyk = await getPolicy(s.client, policyId);
    await updatePolicy(s.client, policyId, { ...tyk, quota_max: 123 });
    const drift = await rejected(applyLimitChange(s.db, s.client, { policyId, scope: "policy", rate: 4, per: 60, baseVersion: row.version }, asAdmin));
    expect(drift).toMatchObject({ code: "conflict" });
    expect(drift!.message).toMatch(/changed in Tyk since Touchline last synced it: quota_max: -?\d+ → 123/);
    expect((await getPolicy(s.client, policyId)).rate).toBe(tyk.rate);
  });

  it("refuses an unknown policy and an API the policy does not grant with 400 naming the field", async () => {
    const unknown = await rejected(applyLimitChange(s.db, s.client, { policyId: "nope", scope: "policy", rate: 4, per: 60, baseVersion: 1 }, asAdmin));
    expect(unknown).toMatchObject({ code: "bad_request", field: "policyId" });
    await sync();
    const row = await s.db.policy.findUniqueOrThrow({ where: { id: policyId } });
    const api = await rejected(applyLimitChange(s.db, s.client, { policyId, scope: "api", apiId: "not-granted", rate: 4, per: 60, baseVersion: row.version }, asAdmin));
    expect(api).toMatchObject({ code: "bad_request", field: "apiId" });
  });

  it("the simulator refuses a policy body of the wrong shape like the Dashboard, changing nothing", async () => {
    const before = await getPolicy(s.client, policyId);
    const res = await fetch(`${s.sim.url}/api/portal/policies/${policyId}`, { method: "PUT", headers: { Authorization: s.apiKey }, body: JSON.stringify({ ...before, rate: "fast" }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ Message: "Failed to unmarshal policy data" });
    expect((await getPolicy(s.client, policyId)).rate).toBe(before.rate);
  });
});
