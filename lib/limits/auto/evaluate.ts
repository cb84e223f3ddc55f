// Automatic mode's evaluation of one endpoint: first the self-rollback check of its automatic changes
// that are old enough, then one step per policy toward the recommendation. Every write goes through
// apply.ts (same guard rails) as the service identity touchline-auto; a write a guard rail refuses is
// recorded as a skipped limit change with the reason. The decisions are kept for the endpoint page.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Who } from "@/lib/access/who";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { json } from "@/lib/sync/tyk/stage";
import type { TykClient } from "@/lib/tyk/client";
import { applyLimitChange, rollbackLimitChange } from "../apply";
import { loadEndpointLimits, type EndpointLimits } from "../endpoint-limits";
import type { PolicyRecommendation } from "../recommend";
import { decideStep, judgeChange, type AutoSettings } from "./decide";
import { loadChangeEvidence } from "./evidence";
import { autoSettingsOfRow, killSwitchOf, type AutoDecisionView } from "./settings";

/** The service identity automatic mode acts as: the actor of its access changes and audit events. */
export const AUTO_ACTOR = "touchline-auto";
export const autoWho: Who = { email: AUTO_ACTOR, audit: { actor: { type: "system", id: AUTO_ACTOR, email: null } } };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

interface Ctx {
  db: PrismaClient;
  client: TykClient;
  endpointId: string;
  now: number;
  settings: AutoSettings;
  killSwitch: boolean;
}

/** Judges the endpoint's automatic applies that no check has kept or rolled back yet; returns the policies still waiting. */
async function checkChanges(c: Ctx, limits: EndpointLimits, out: AutoDecisionView[]): Promise<Set<string>> {
  const waiting = new Set<string>();
  const pending = await c.db.limitChange.findMany({
    where: { endpointId: c.endpointId, automatic: true, action: "apply", rolledBackBy: null, keptAt: null }, orderBy: { createdAt: "asc" },
  });
  for (const change of pending) {
    const name = limits.policies.find((p) => p.id === change.policyId)?.name ?? change.policyId;
    const evidence = await loadChangeEvidence(c.db, c.endpointId, change.createdAt.getTime(), c.settings.rollbackMinutes, limits.objectiveMs);
    const j = judgeChange({ now: c.now, settings: c.settings, killSwitch: c.killSwitch, changeAt: change.createdAt.getTime(), evidence });
    const view = { policyId: change.policyId, policyName: name, limitChangeId: change.id };
    if (j.kind === "wait") {
      waiting.add(change.policyId);
      out.push({ ...view, kind: "wait", reason: `change ${change.id}: ${j.reason}` });
    } else if (j.kind === "keep") {
      await c.db.limitChange.update({ where: { id: change.id }, data: { keptAt: new Date(c.now), evidence: json({ ...(change.evidence as object), check: { ...evidence, verdict: j.reason } }) } });
      out.push({ ...view, kind: "keep", reason: j.reason });
    } else {
      waiting.add(change.policyId);
      try {
        const r = await rollbackLimitChange(c.db, c.client, change.id, autoWho, false, { automatic: true, evidence: { ...evidence, verdict: j.reason }, reason: `automatic rollback: ${j.reason}` });
        out.push({ ...view, kind: "rollback", reason: j.reason, limitChangeId: r.change?.id ?? change.id });
      } catch (err) {
        out.push({ ...view, ...(await refused(c, err, { policyId: change.policyId, before: change.after, after: change.before, baseVersion: change.version, evidence: { ...evidence, verdict: j.reason }, what: "rollback" })) });
      }
    }
  }
  return waiting;
}

/** A write a guard rail refused: a skipped limit change and an audit event; an outage is reported, not recorded. */
async function refused(
  c: Ctx, err: unknown, x: { policyId: string; before: unknown; after: unknown; baseVersion: number; evidence: unknown; what: "apply" | "rollback" },
): Promise<Omit<AutoDecisionView, "policyId" | "policyName">> {
  if (!(err instanceof ApiError) || (err.code !== "conflict" && err.code !== "bad_request")) {
    return { kind: "error", reason: `Tyk write failed, retried at the next evaluation: ${message(err)}` };
  }
  const version = (await c.db.policy.findUnique({ where: { id: x.policyId }, select: { version: true } }))?.version ?? x.baseVersion;
  const reason = `skipped the ${x.what}: ${err.message}`;
  const row = await c.db.limitChange.create({
    data: {
      policyId: x.policyId, endpointId: c.endpointId, action: "skip", before: json(x.before), after: json(x.after), baseVersion: x.baseVersion, version,
      reason, actor: AUTO_ACTOR, automatic: true, evidence: json(x.evidence),
    },
  });
  await recordAudit(c.db, { ...autoWho.audit, action: "limits.auto.skip", target: { type: "policy", id: x.policyId }, details: { limitChange: row.id, endpointId: c.endpointId, reason, evidence: x.evidence } });
  return { kind: "skip", reason, limitChangeId: row.id };
}

async function stepPolicy(c: Ctx, limits: EndpointLimits, rec: PolicyRecommendation): Promise<AutoDecisionView> {
  const view = { policyId: rec.policyId, policyName: rec.name };
  const last = await c.db.limitChange.findFirst({ where: { policyId: rec.policyId, action: { in: ["apply", "rollback"] } }, orderBy: { createdAt: "desc" } });
  const d = decideStep({ now: c.now, settings: c.settings, killSwitch: c.killSwitch, current: rec.current, recommended: rec.proposed, lastChangeAt: last?.createdAt.getTime() ?? null });
  if (d.kind === "none") return { ...view, kind: "none", reason: d.reason };
  const scope = rec.scope === "api" ? { scope: "api" as const, apiId: rec.apiId } : { scope: "policy" as const };
  const evidence = {
    decision: d.reason, recommendation: rec.line, capacity: limits.capacityText, objectiveMs: limits.objectiveMs, current: rec.current, recommended: rec.proposed,
    bounds: { minPerMin: c.settings.minPerMin, maxPerMin: c.settings.maxPerMin, maxStep: c.settings.maxStep },
  };
  try {
    const r = await applyLimitChange(c.db, c.client, { policyId: rec.policyId, endpointId: c.endpointId, ...scope, rate: d.to.rate, per: d.to.per, baseVersion: rec.baseVersion, reason: `automatic: ${d.reason}` }, autoWho, { automatic: true, evidence });
    return { ...view, kind: "change", reason: d.reason, limitChangeId: r.dryRun ? undefined : r.change.id };
  } catch (err) {
    const before = { ...scope, apiId: rec.scope === "api" ? rec.apiId : null, rate: rec.current?.rate ?? null, per: rec.current?.per ?? null };
    return { ...view, ...(await refused(c, err, { policyId: rec.policyId, before, after: { ...before, ...d.to }, baseVersion: rec.baseVersion, evidence, what: "apply" })) };
  }
}

/** One evaluation of the endpoint at `now` (injectable for tests); returns and stores its decisions. */
export async function evaluateEndpoint(db: PrismaClient, client: TykClient, endpointId: string, now = Date.now()): Promise<AutoDecisionView[]> {
  const [row, kill] = await Promise.all([db.endpointLimitSetting.findUnique({ where: { endpointId } }), killSwitchOf(db)]);
  const c: Ctx = { db, client, endpointId, now, settings: autoSettingsOfRow(row), killSwitch: kill.on };
  const out: AutoDecisionView[] = [];
  const limits = await loadEndpointLimits(db, endpointId, now);
  const waiting = await checkChanges(c, limits, out);
  const seen = new Set<string>();
  for (const rec of limits.recommendations) {
    if (seen.has(rec.policyId)) continue;
    seen.add(rec.policyId);
    if (waiting.has(rec.policyId)) continue;
    out.push(await stepPolicy(c, limits, rec));
  }
  if (!limits.recommendations.length) out.push({ policyId: null, policyName: null, kind: "none", reason: limits.note ?? "no recommendation" });
  await db.endpointLimitSetting.update({ where: { endpointId }, data: { autoEvaluatedAt: new Date(now), autoLastDecision: json(out) } });
  return out;
}

// One evaluation at a time across server processes; the Tyk writes happen outside this lock's connection.
const AUTO_LOCK = 7_411_200;

/**
 * Evaluates every endpoint with automatic mode on whose interval has passed (or only `endpointId`,
 * due or not). Null when another evaluation holds the lock.
 */
export async function evaluateAutomaticLimits(
  db: PrismaClient, client: TykClient, opts: { now?: number; endpointId?: string } = {},
): Promise<Record<string, AutoDecisionView[]> | null> {
  const now = opts.now ?? Date.now();
  return db.$transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${AUTO_LOCK}) AS locked`;
    if (!locked) return null;
    const rows = await db.endpointLimitSetting.findMany({ where: { autoEnabled: true, ...(opts.endpointId ? { endpointId: opts.endpointId } : {}) } });
    const due = rows.filter((r) => opts.endpointId || !r.autoEvaluatedAt || r.autoEvaluatedAt.getTime() + r.autoIntervalMinutes * 60_000 <= now);
    const results: Record<string, AutoDecisionView[]> = {};
    for (const r of due) results[r.endpointId] = await evaluateEndpoint(db, client, r.endpointId, now);
    return results;
  }, { timeout: 60 * 60 * 1000, maxWait: 10_000 });
}
