import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { LimitValue } from "./policy-limit";

export interface LimitChangeRow {
  id: string;
  at: Date;
  action: "apply" | "rollback";
  policyId: string;
  policyName: string;
  endpoint: { id: string; label: string } | null;
  before: LimitValue;
  after: LimitValue;
  version: number;
  actor: string;
  reason: string;
  rolledBack: boolean;
}

/** Every limit change Touchline made, newest first, with its policy's and endpoint's names. */
export async function listLimitChangeRows(db: PrismaClient, take = 200): Promise<LimitChangeRow[]> {
  const rows = await db.limitChange.findMany({ orderBy: { createdAt: "desc" }, take });
  const [policies, endpoints] = await Promise.all([
    db.policy.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.policyId))] } }, select: { id: true, name: true } }),
    db.endpoint.findMany({ where: { id: { in: rows.flatMap((r) => (r.endpointId ? [r.endpointId] : [])) } }, select: { id: true, method: true, path: true } }),
  ]);
  const policy = new Map(policies.map((p) => [p.id, p.name]));
  const endpoint = new Map(endpoints.map((e) => [e.id, `${e.method} ${e.path}`]));
  return rows.map((r) => ({
    id: r.id, at: r.createdAt, action: r.action as "apply" | "rollback", policyId: r.policyId, policyName: policy.get(r.policyId) ?? r.policyId,
    endpoint: r.endpointId ? { id: r.endpointId, label: endpoint.get(r.endpointId) ?? r.endpointId } : null,
    before: r.before as unknown as LimitValue, after: r.after as unknown as LimitValue, version: r.version, actor: r.actor, reason: r.reason,
    rolledBack: Boolean(r.rolledBackBy),
  }));
}
