import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toErrorResponse } from "@/lib/api/errors";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { getPolicy } from "@/lib/tyk/get-policy";
import { asAdmin, startAccessStack, type AccessStack } from "@/lib/access/testing/stack";
import { applyLimitChange, limitChangeBody, rollbackLimitChange } from "./apply";

// Quota and throttle through the apply path, over HTTP against the Tyk Dashboard simulator: written
// where the limit is (the policy, or access_rights[api].limit), seen by the next sync, restored by
// rollback; bad input refused before Tyk is touched.
let s: AccessStack;
const sync = () => syncTyk({ db: s.db, client: s.client, auditLog: "auto", trigger: "test", fullReconcile: { everyRuns: 1 } });
const extras = { quotaMax: 1500, quotaRenewalRate: 86_400, throttleInterval: 5, throttleRetryLimit: 12 };
const tykExtras = { quota_max: 1500, quota_renewal_rate: 86_400, throttle_interval: 5, throttle_retry_limit: 12 };
const pick = (p: Record<string, unknown>) => ({ quota_max: p.quota_max, quota_renewal_rate: p.quota_renewal_rate, throttle_interval: p.throttle_interval, throttle_retry_limit: p.throttle_retry_limit });

beforeAll(async () => {
  s = await startAccessStack();
});
afterAll(async () => s?.close());

describe("quota and throttle through apply and rollback", () => {
  it("policy scope: Tyk's policy has them, the next sync sees that version, rollback restores the previous values", async () => {
    const row = (await s.db.policy.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" } })).find((p) => p.apiIds.length === 1) ??
      (await s.db.policy.findFirstOrThrow({ where: { deletedAt: null } }));
    const original = await getPolicy(s.client, row.id);
    const r = await applyLimitChange(s.db, s.client, { policyId: row.id, scope: "policy", rate: 30, per: 60, baseVersion: row.version, ...extras, reason: "test" }, asAdmin);
    if (r.dryRun) throw new Error("not applied");
    expect(r.plan.diff).toEqual(expect.arrayContaining([{ path: "quota_max", before: original.quota_max, after: 1500 }, { path: "throttle_interval", before: original.throttle_interval, after: 5 }]));
    expect(r.plan.before).toMatchObject({ quotaMax: original.quota_max ?? null, throttleInterval: original.throttle_interval ?? null });
    expect(await getPolicy(s.client, row.id)).toMatchObject({ rate: 30, per: 60, ...tykExtras });
    const changes = await s.db.accessChange.count({ where: { targetId: row.id } });
    expect((await sync()).status).toBe("succeeded");
    expect(await s.db.accessChange.count({ where: { targetId: row.id } })).toBe(changes);
    const synced = await s.db.policy.findUniqueOrThrow({ where: { id: row.id } });
    expect(synced.version).toBe(row.version + 1);
    expect(synced.snapshot).toMatchObject(tykExtras);
    const audit = await s.db.accessChange.findFirstOrThrow({ where: { targetId: row.id, version: row.version + 1 } });
    expect(JSON.stringify(audit.auditEntries)).toContain("quota 1500 per 86400 s, throttle 12 retries every 5 s");

    const back = await rollbackLimitChange(s.db, s.client, r.change.id, asAdmin);
    if (back.dryRun) throw new Error("not rolled back");
    expect(pick(await getPolicy(s.client, row.id) as Record<string, unknown>)).toEqual(pick(original as Record<string, unknown>));
    expect(await getPolicy(s.client, row.id)).toMatchObject({ rate: original.rate, per: original.per });
  });

  it("api scope: the quota and throttle go into access_rights[api].limit, and rollback restores that limit", async () => {
    await sync();
    const row = await s.db.policy.findFirstOrThrow({ where: { deletedAt: null, apiIds: { isEmpty: false } }, orderBy: { name: "desc" } });
    const apiId = row.apiIds[0];
    const original = await getPolicy(s.client, row.id);
    const r = await applyLimitChange(s.db, s.client, { policyId: row.id, scope: "api", apiId, rate: 20, per: 60, baseVersion: row.version, ...extras }, asAdmin);
    if (r.dryRun) throw new Error("not applied");
    const written = await getPolicy(s.client, row.id);
    expect(written.access_rights?.[apiId]?.limit).toMatchObject({ rate: 20, per: 60, ...tykExtras });
    expect((await sync()).status).toBe("succeeded");
    expect((await s.db.policy.findUniqueOrThrow({ where: { id: row.id } })).version).toBe(row.version + 1);
    await rollbackLimitChange(s.db, s.client, r.change.id, asAdmin);
    const restored = await getPolicy(s.client, row.id);
    expect(restored.access_rights).toEqual(original.access_rights);
    expect(restored.partitions).toEqual(original.partitions);
  });

  it("the gateway obeys a written quota: past quota_max in its period Tyk answers 403, after the rate", async () => {
    await sync();
    const key = s.world.stateAt(new Date()).keys.find((k) => k.policyIds.length === 1 && !k.isInactive && !k.expires)!;
    const row = await s.db.policy.findUniqueOrThrow({ where: { id: key.policyIds[0] } });
    const r = await applyLimitChange(s.db, s.client, { policyId: row.id, scope: "policy", rate: 1000, per: 1, baseVersion: row.version, quotaMax: 3, quotaRenewalRate: 3600 }, asAdmin);
    if (r.dryRun) throw new Error("not applied");
    expect(await s.serve(key.rawKey, 5)).toMatchObject({ served: 5, rateLimited: 0, quotaExceeded: 2 });
    expect(await s.serve(key.rawKey, 1)).toMatchObject({ quotaExceeded: 1 });
    await rollbackLimitChange(s.db, s.client, r.change.id, asAdmin);
  });

  it("bad quota/throttle input is a 400 naming the field, Tyk untouched; the simulator refuses wrong types like the Dashboard", async () => {
    await sync();
    const row = await s.db.policy.findFirstOrThrow({ where: { deletedAt: null } });
    const before = await getPolicy(s.client, row.id);
    const body = { policyId: row.id, scope: "policy", rate: 5, per: 60, baseVersion: row.version };
    for (const [bad, field] of [
      [{ quotaMax: -5, quotaRenewalRate: 60 }, "quotaMax"], [{ quotaMax: 100, quotaRenewalRate: 0 }, "quotaRenewalRate"],
      [{ quotaMax: 100 }, "quotaRenewalRate"], [{ throttleRetryLimit: 3 }, "throttleInterval"], [{ throttleInterval: -1, throttleRetryLimit: 3 }, "throttleInterval"],
      [{ quotaMax: "lots", quotaRenewalRate: 60 }, "quotaMax"],
    ] as const) {
      const parsed = limitChangeBody.safeParse({ ...body, ...bad });
      expect(parsed.success).toBe(false);
      const res = toErrorResponse(parsed.error, "req-1");
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect(await getPolicy(s.client, row.id)).toEqual(before);

    for (const wrong of [{ ...before, quota_max: "lots" }, { ...before, throttle_retry_limit: "3" },
      { ...before, access_rights: Object.fromEntries(Object.entries(before.access_rights ?? {}).map(([k, v]) => [k, { ...(v as object), limit: { rate: 1, per: 1, quota_renewal_rate: "daily" } }])) }]) {
      const res = await fetch(`${s.sim.url}/api/portal/policies/${row.id}`, { method: "PUT", headers: { Authorization: s.apiKey }, body: JSON.stringify(wrong) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ Message: "Failed to unmarshal policy data" });
    }
    expect(await getPolicy(s.client, row.id)).toEqual(before);
  });
});
