// Applying and rolling back a rate limit on a Tyk policy, admin only: plan (the reviewed before/after
// and its diff), refuse when the policy changed since it was reviewed (Touchline's synced version,
// and Tyk's copy against Touchline's), PUT it, read it back and record it the way the Tyk sync
// would — a new policy version, and an access change attributed to the console user — so the next
// sync finds nothing new, the charts show a marker and later investigations see the change as a touch.
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Who } from "@/lib/access/who";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { deepEqual, diffSnapshots, type DiffEntry } from "@/lib/sync/tyk/diff";
import { policySnapshot } from "@/lib/sync/tyk/snapshots";
import { accessChangeData, json } from "@/lib/sync/tyk/stage";
import { policyColumns } from "@/lib/sync/tyk/stage-policies";
import type { TykClient } from "@/lib/tyk/client";
import { TykNotFoundError } from "@/lib/tyk/errors";
import { getPolicy } from "@/lib/tyk/get-policy";
import type { TykPolicy } from "@/lib/tyk/schema";
import { updatePolicy } from "@/lib/tyk/update-policy";
import { quotaThrottleFields, withQuotaThrottlePairs } from "./quota-throttle-fields";
import { limitScope, limitText, readLimit, writeLimit, type LimitValue } from "./policy-limit";

export const limitChangeBody = withQuotaThrottlePairs(z
  .strictObject({
    policyId: z.string().min(1).max(200),
    endpointId: z.string().min(1).max(200).optional(),
    scope: limitScope,
    apiId: z.string().min(1).max(200).optional(),
    rate: z.number().positive().max(1e9),
    per: z.number().positive().max(31_536_000),
    /** The policy version the proposal was reviewed against. */
    baseVersion: z.number().int().positive().max(2_147_483_647),
    reason: z.string().max(500).optional(),
    dryRun: z.boolean().optional(),
    ...quotaThrottleFields(),
  })
  .refine((b) => b.scope !== "api" || b.apiId, { message: "apiId is required for a per-API limit", path: ["apiId"] }));
export type LimitChangeInput = z.infer<typeof limitChangeBody>;

export interface LimitPlan {
  policyId: string;
  name: string;
  baseVersion: number;
  before: LimitValue;
  after: LimitValue;
  /** The whole policy as Tyk has it and as it would be written. */
  policyBefore: Record<string, unknown>;
  policyAfter: Record<string, unknown>;
  diff: DiffEntry[];
}

const diffText = (d: DiffEntry[]) => d.slice(0, 6).map((e) => `${e.path}: ${JSON.stringify(e.before)} → ${JSON.stringify(e.after)}`).join("; ");

/** The reviewed change, or a 409 saying what changed since `baseVersion`. */
export async function planLimitChange(db: PrismaClient, client: TykClient, policyId: string, baseVersion: number, target: LimitValue): Promise<LimitPlan> {
  const row = await db.policy.findUnique({ where: { id: policyId } });
  if (!row || row.deletedAt) throw new ApiError("bad_request", `policyId: no such policy (${policyId})`, "policyId");
  if (row.version !== baseVersion) {
    const since = await db.accessChange.findFirst({ where: { kind: "policy", targetId: policyId, version: row.version } });
    throw new ApiError("conflict", `conflict: ${row.name} changed since it was reviewed (version ${baseVersion} → ${row.version}${since?.actor ? ` by ${since.actor}` : ""}): ${diffText((since?.diff as DiffEntry[] | undefined) ?? [])}`);
  }
  let tyk: TykPolicy;
  try {
    tyk = await getPolicy(client, policyId);
  } catch (err) {
    if (err instanceof TykNotFoundError) throw new ApiError("conflict", `conflict: ${row.name} is no longer in Tyk`);
    throw err;
  }
  const drift = diffSnapshots(row.snapshot, policySnapshot(tyk));
  if (drift.length) throw new ApiError("conflict", `conflict: ${row.name} changed in Tyk since Touchline last synced it: ${diffText(drift)}`);
  const policyBefore = tyk as Record<string, unknown>;
  if (target.scope === "api" && !(target.apiId! in ((tyk.access_rights ?? {}) as object))) {
    throw new ApiError("bad_request", `apiId: ${row.name} does not grant API ${target.apiId}`, "apiId");
  }
  const policyAfter = writeLimit(policyBefore, target);
  return {
    policyId, name: row.name, baseVersion, before: readLimit(policyBefore, target.scope, target.apiId, target), after: target,
    policyBefore, policyAfter, diff: diffSnapshots(policySnapshot(tyk), policySnapshot(policyAfter as TykPolicy)),
  };
}

/** PUTs the plan, reads the policy back, records version + access change + limit change + audit event. */
async function writePlan(
  db: PrismaClient, client: TykClient, plan: LimitPlan, who: Who,
  meta: { action: "apply" | "rollback"; endpointId: string | null; reason: string; undoes?: string } & AutomaticMark,
) {
  const url = `/api/portal/policies/${encodeURIComponent(plan.policyId)}`;
  await updatePolicy(client, plan.policyId, plan.policyAfter);
  const written = await getPolicy(client, plan.policyId);
  const at = new Date();
  const change = await db.$transaction(async (tx) => {
    const row = await tx.policy.findUniqueOrThrow({ where: { id: plan.policyId } });
    const snapshot = policySnapshot(written);
    // A sync between the PUT and here recorded the version already (without knowing who): say who.
    const synced = row.version > plan.baseVersion && deepEqual(row.snapshot, snapshot);
    const version = synced ? row.version : row.version + 1;
    const keyHashes = (await tx.key.findMany({ where: { policyIds: { has: plan.policyId }, deletedAt: null }, select: { keyHash: true } })).map((k) => k.keyHash);
    const lc = await tx.limitChange.create({
      data: {
        policyId: plan.policyId, endpointId: meta.endpointId, action: meta.action, before: json(plan.before), after: json(plan.after),
        baseVersion: plan.baseVersion, version, reason: meta.reason, actor: who.email, undoes: meta.undoes ?? null,
        automatic: meta.automatic ?? false, ...(meta.evidence === undefined ? {} : { evidence: json(meta.evidence) }),
      },
    });
    const data = accessChangeData({
      kind: "policy", action: "update", targetId: plan.policyId, targetLabel: written.name, version, diff: plan.diff, apiIds: row.apiIds, keyHashes,
      attribution: {
        actor: who.email, changedAt: at, timeSource: "audit",
        auditEntries: [{ id: `touchline:limit-change:${lc.id}`, at: at.toISOString(), user: who.email, method: "PUT", url, status: 200,
          note: `${meta.action === "apply" ? "rate limit" : "rollback of rate limit"} ${limitText(plan.before)} → ${limitText(plan.after)} (Touchline)` }],
      },
    });
    if (synced) {
      const { actor, changedAt, timeSource, auditEntries } = data;
      await tx.accessChange.updateMany({ where: { kind: "policy", targetId: plan.policyId, version }, data: { actor, changedAt, timeSource, auditEntries } });
    } else {
      await tx.policy.update({ where: { id: plan.policyId }, data: { ...policyColumns(written, at), version } });
      await tx.policyVersion.create({ data: { policyId: plan.policyId, version, snapshot: json(snapshot), diff: json(plan.diff), observedAt: at } });
      await tx.accessChange.create({ data });
    }
    if (meta.undoes) await tx.limitChange.update({ where: { id: meta.undoes }, data: { rolledBackBy: lc.id } });
    return lc;
  });
  await recordAudit(db, {
    ...who.audit, action: `limits.${meta.action}`, target: { type: "policy", id: plan.policyId },
    details: {
      limitChange: change.id, before: plan.before, after: plan.after, version: change.version, endpointId: meta.endpointId, reason: meta.reason,
      ...(meta.automatic ? { automatic: true, evidence: meta.evidence ?? null } : {}),
    },
  });
  return change;
}

/** Automatic mode's changes are marked so, with the evidence they were made on. */
export interface AutomaticMark {
  automatic?: boolean;
  evidence?: unknown;
}

/** A dry run (the plan) or the applied change. */
export async function applyLimitChange(db: PrismaClient, client: TykClient, input: LimitChangeInput, who: Who, mark: AutomaticMark = {}) {
  const { quotaMax, quotaRenewalRate, throttleInterval, throttleRetryLimit } = input;
  const extras = Object.fromEntries(Object.entries({ quotaMax, quotaRenewalRate, throttleInterval, throttleRetryLimit }).filter(([, v]) => v !== undefined));
  const target: LimitValue = { scope: input.scope, apiId: input.scope === "api" ? input.apiId! : null, rate: input.rate, per: input.per, ...extras };
  const plan = await planLimitChange(db, client, input.policyId, input.baseVersion, target);
  if (input.dryRun) return { dryRun: true as const, plan };
  const change = await writePlan(db, client, plan, who, { action: "apply", endpointId: input.endpointId ?? null, reason: input.reason ?? "", ...mark });
  return { dryRun: false as const, plan, change };
}

/** Restores the values an apply replaced — refused when the policy changed since that apply. */
export async function rollbackLimitChange(db: PrismaClient, client: TykClient, id: string, who: Who, dryRun = false, mark: AutomaticMark & { reason?: string } = {}) {
  const applied = await db.limitChange.findUnique({ where: { id } });
  if (!applied || applied.action !== "apply") throw new ApiError("not_found", "no such applied limit change");
  if (applied.rolledBackBy) throw new ApiError("conflict", "conflict: this change was already rolled back");
  const plan = await planLimitChange(db, client, applied.policyId, applied.version, applied.before as unknown as LimitValue);
  if (dryRun) return { dryRun: true as const, plan };
  const { reason, ...automatic } = mark;
  const change = await writePlan(db, client, plan, who, { action: "rollback", endpointId: applied.endpointId, reason: reason ?? `rollback of ${applied.id}`, undoes: applied.id, ...automatic });
  return { dryRun: false as const, plan, change };
}

/** Limit changes, newest first (of one endpoint or policy when given). */
export function listLimitChanges(db: PrismaClient, where: { endpointId?: string; policyId?: string }) {
  return db.limitChange.findMany({ where, orderBy: { createdAt: "desc" }, take: 100 });
}
