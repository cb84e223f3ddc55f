import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccessConfig } from "../config";

/** What a person may request: the offered policies (with their maximum) and the live APIs (with the configured maximum). */
export async function requestOptions(db: PrismaClient, config: AccessConfig) {
  const [offers, apis] = await Promise.all([
    db.accessOffer.findMany({ orderBy: { createdAt: "asc" } }),
    db.api.findMany({ where: { deletedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const policies = new Map((await db.policy.findMany({ where: { id: { in: offers.map((o) => o.policyId) }, deletedAt: null }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  return {
    offers: offers.filter((o) => policies.has(o.policyId)).map((o) => ({ policyId: o.policyId, name: policies.get(o.policyId)!, maxMinutes: o.maxMinutes, description: o.description })),
    apis,
    apiMaxMinutes: config.requestMaxMinutes,
  };
}
