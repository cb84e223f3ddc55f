import type { AccessRequest, PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { TykClient } from "@/lib/tyk/client";
import type { AccessConfig } from "../config";
import { addEvent } from "../timeline";
import type { Who } from "../who";
import { issueKey } from "./issue";
import type { Person } from "./people";
import { rulesOf } from "./people";
import { autoApprovingRule } from "./rules";
import type { CreateRequestBody } from "./schema";
import { notify } from "./webhook";

/** What a request may be for: an offered policy (its own maximum), or live APIs (the configured maximum). */
async function resolveTarget(db: PrismaClient, config: AccessConfig, body: CreateRequestBody): Promise<{ label: string; maxMinutes: number; policyId: string | null; apiIds: string[] }> {
  if (body.policyId) {
    const offer = await db.accessOffer.findUnique({ where: { policyId: body.policyId } });
    const policy = offer && (await db.policy.findUnique({ where: { id: body.policyId }, select: { name: true, deletedAt: true } }));
    if (!offer || !policy || policy.deletedAt) throw new ApiError("bad_request", "policyId: not a policy offered for temporary access", "policyId");
    return { label: policy.name, maxMinutes: offer.maxMinutes, policyId: body.policyId, apiIds: [] };
  }
  const ids = [...new Set(body.apiIds ?? [])];
  const apis = await db.api.findMany({ where: { id: { in: ids }, deletedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  if (apis.length !== ids.length) throw new ApiError("bad_request", "apiIds: every id must name an API Touchline has synced", "apiIds");
  return { label: apis.map((a) => a.name).join(", "), maxMinutes: config.requestMaxMinutes, policyId: null, apiIds: ids };
}

export interface CreatedRequest {
  request: AccessRequest;
  /** Set when a rule approved the request at once and its key was made in this same call. */
  rawKey: string | null;
}

/**
 * Records a request; a rule that auto-approves it approves it at once and the key is made right
 * away (shown in this answer). If Tyk is down then, the request stays approved and the requester
 * collects the key later. Announced on the webhook either way.
 */
export async function createRequest(db: PrismaClient, client: TykClient | null, config: AccessConfig, body: CreateRequestBody, person: Person, who: Who): Promise<CreatedRequest> {
  const target = await resolveTarget(db, config, body);
  if (body.durationMinutes > target.maxMinutes) {
    throw new ApiError("bad_request", `durationMinutes: at most ${target.maxMinutes} minutes for ${target.label}`, "durationMinutes");
  }
  const rule = autoApprovingRule(await rulesOf(db), { requesterId: person.id, requesterGroups: person.groups, policyId: target.policyId, durationMinutes: body.durationMinutes });
  const now = new Date();
  const request = await db.$transaction(async (tx) => {
    const r = await tx.accessRequest.create({
      data: {
        requesterId: person.id, requesterEmail: person.email, requesterName: person.name, requesterGroups: person.groups,
        policyId: target.policyId, apiIds: target.apiIds, targetLabel: target.label, reason: body.reason, durationMinutes: body.durationMinutes,
        status: rule ? "approved" : "pending", ...(rule ? { ruleId: rule.id, decidedBy: `rule: ${rule.name}`, decidedAt: now } : {}),
      },
    });
    await addEvent(tx, "access_request", r.id, "requested", person.email, { target: target.label, durationMinutes: body.durationMinutes, reason: body.reason }, now);
    if (rule) await addEvent(tx, "access_request", r.id, "auto_approved", null, { rule: rule.name, ruleId: rule.id, maxMinutes: rule.autoMaxMinutes }, now);
    return r;
  });
  await recordAudit(db, {
    ...who.audit, action: "access_request.create", target: { type: "access_request", id: request.id },
    details: { target: target.label, policyId: target.policyId, apiIds: target.apiIds, durationMinutes: body.durationMinutes },
  });
  if (rule) await recordAudit(db, { actor: { type: "system" }, action: "access_request.auto_approve", target: { type: "access_request", id: request.id }, details: { rule: rule.name } });
  void notify(db, rule ? "auto_approved" : "requested", request);
  if (!rule || !client) return { request, rawKey: null };
  try {
    const issued = await issueKey(db, client, config, request.id, person, who);
    return { request: issued.request, rawKey: issued.rawKey };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { request: (await db.accessRequest.findUnique({ where: { id: request.id } }))!, rawKey: null };
  }
}
