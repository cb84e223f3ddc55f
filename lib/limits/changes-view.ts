import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { LimitValue } from "./policy-limit";

export interface LimitChangeRow {
  id: string;
  at: Date;
  action: "apply" | "rollback" | "skip";
  policyId: string;
  policyName: string;
  endpoint: { id: string; label: string } | null;
  before: LimitValue;
  after: LimitValue;
  version: number;
  actor: string;
  reason: string;
  rolledBack: boolean;
  automatic: boolean;
  /** What automatic mode acted on, one line each. */
  evidence: string[];
}

export type ChangeMode = "all" | "manual" | "automatic";

/** Every limit change Touchline made (by hand, automatically or both), newest first, with its policy's and endpoint's names. */
export async function listLimitChangeRows(db: PrismaClient, mode: ChangeMode = "all", take = 200): Promise<LimitChangeRow[]> {
  const where = mode === "all" ? {} : { automatic: mode === "automatic" };
  const rows = await db.limitChange.findMany({ where, orderBy: { createdAt: "desc" }, take });
  const [policies, endpoints] = await Promise.all([
    db.policy.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.policyId))] } }, select: { id: true, name: true } }),
    db.endpoint.findMany({ where: { id: { in: rows.flatMap((r) => (r.endpointId ? [r.endpointId] : [])) } }, select: { id: true, method: true, path: true } }),
  ]);
  const policy = new Map(policies.map((p) => [p.id, p.name]));
  const endpoint = new Map(endpoints.map((e) => [e.id, `${e.method} ${e.path}`]));
  return rows.map((r) => ({
    id: r.id, at: r.createdAt, action: r.action as LimitChangeRow["action"], policyId: r.policyId, policyName: policy.get(r.policyId) ?? r.policyId,
    endpoint: r.endpointId ? { id: r.endpointId, label: endpoint.get(r.endpointId) ?? r.endpointId } : null,
    before: r.before as unknown as LimitValue, after: r.after as unknown as LimitValue, version: r.version, actor: r.actor, reason: r.reason,
    rolledBack: Boolean(r.rolledBackBy), automatic: r.automatic, evidence: evidenceLines(r.evidence),
  }));
}

const ms = (n: unknown) => (typeof n === "number" ? `${Math.round(n)} ms` : "no data");

/** An automatic change's evidence (evaluate.ts) as lines: the step's reasons, or the self-rollback check's numbers. */
export function evidenceLines(evidence: unknown): string[] {
  if (!evidence || typeof evidence !== "object") return [];
  const e = evidence as Record<string, unknown>;
  const out: string[] = [];
  if (typeof e.capacity === "string") out.push(e.capacity);
  if (typeof e.recommendation === "string") out.push(`recommended: ${e.recommendation}`);
  const check = (e.check ?? (typeof e.verdict === "string" ? e : null)) as Record<string, unknown> | null;
  if (check) {
    out.push(`p99 ${ms(check.p99BeforeMs)} before → ${ms(check.p99AfterMs)} after${typeof check.objectiveMs === "number" ? ` (objective ${ms(check.objectiveMs)})` : ""}`);
    const callers = Array.isArray(check.normalCallers) ? (check.normalCallers as { label: string; rejected: number }[]) : [];
    out.push(`429s to callers within their normal peak: ${check.normalRejectedBefore} before → ${check.normalRejectedAfter} after${callers.length ? ` (${callers.slice(0, 5).map((c) => `${c.label} ${c.rejected}`).join(", ")})` : ""}`);
    if (typeof check.verdict === "string") out.push(`verdict: ${check.verdict}`);
  }
  return out;
}
