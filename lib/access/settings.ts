import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import type { OfferBody, RuleBody } from "./requests/schema";
import { setWebhook as setStoredWebhook, unsetWebhook as unsetStoredWebhook } from "@/lib/webhooks/slack-webhook";
import { webhookStatus } from "./requests/webhook";
import type { Who } from "./who";

// What admins curate for just-in-time access: the policies people may request (each with its
// longest duration), the rules naming approvers and auto-approvals, and the webhook.

export const ANY_REQUEST = "any";

export async function accessSettings(db: PrismaClient) {
  const [offers, rules, policies, webhook] = await Promise.all([
    db.accessOffer.findMany({ orderBy: { createdAt: "asc" } }),
    db.accessRule.findMany({ orderBy: { name: "asc" } }),
    db.policy.findMany({ where: { deletedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    webhookStatus(db),
  ]);
  const names = new Map(policies.map((p) => [p.id, p.name]));
  return {
    offers: offers.map((o) => ({ ...o, policyName: names.get(o.policyId) ?? null })),
    rules: rules.map((r) => ({ ...r, policyName: r.policyId ? (names.get(r.policyId) ?? null) : null })),
    policies,
    webhook,
  };
}

export async function saveOffer(db: PrismaClient, body: OfferBody, who: Who) {
  const policy = await db.policy.findUnique({ where: { id: body.policyId }, select: { name: true, deletedAt: true } });
  if (!policy || policy.deletedAt) throw new ApiError("bad_request", "policyId: no such policy", "policyId");
  const data = { maxMinutes: body.maxMinutes, description: body.description };
  const offer = await db.accessOffer.upsert({ where: { policyId: body.policyId }, create: { policyId: body.policyId, ...data, createdBy: who.email }, update: data });
  await recordAudit(db, { ...who.audit, action: "access_offer.save", target: { type: "policy", id: body.policyId }, details: { policy: policy.name, ...data } });
  return offer;
}

export async function deleteOffer(db: PrismaClient, policyId: string, who: Who): Promise<void> {
  const done = await db.accessOffer.deleteMany({ where: { policyId } });
  if (!done.count) throw new ApiError("not_found", "That policy is not offered");
  await recordAudit(db, { ...who.audit, action: "access_offer.delete", target: { type: "policy", id: policyId } });
}

export async function createRule(db: PrismaClient, body: RuleBody, who: Who) {
  let policyId: string | null = null;
  if (body.policyId !== ANY_REQUEST) {
    if (!(await db.accessOffer.findUnique({ where: { policyId: body.policyId } }))) {
      throw new ApiError("bad_request", `policyId: an offered policy's id, or "${ANY_REQUEST}"`, "policyId");
    }
    policyId = body.policyId;
  }
  const rule = await db.accessRule.create({
    data: {
      name: body.name, policyId, requesterGroups: body.requesterGroups, approverGroups: body.approverGroups, autoApprove: body.autoApprove,
      autoMaxMinutes: body.autoApprove ? (body.autoMaxMinutes ?? null) : null, createdBy: who.email,
    },
  });
  await recordAudit(db, { ...who.audit, action: "access_rule.create", target: { type: "access_rule", id: rule.id }, details: { ...body } });
  return rule;
}

export async function deleteRule(db: PrismaClient, id: string, who: Who): Promise<void> {
  const done = await db.accessRule.deleteMany({ where: { id } });
  if (!done.count) throw new ApiError("not_found", "No such rule");
  await recordAudit(db, { ...who.audit, action: "access_rule.delete", target: { type: "access_rule", id } });
}

/** Stores the webhook URL sealed (it is a secret); needs TOUCHLINE_ENCRYPTION_KEY. */
export async function setWebhook(db: PrismaClient, url: string, who: Who) {
  await setStoredWebhook(db, "webhook", url, who.audit);
  return webhookStatus(db);
}

export async function unsetWebhook(db: PrismaClient, who: Who) {
  await unsetStoredWebhook(db, "webhook", who.audit);
  return webhookStatus(db);
}
