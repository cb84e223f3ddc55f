// Whether an incremental run lists all policies / every API's OAuth clients, or skips the stage
// because the audit log shows nothing that could have changed them. Listing 10,000 policies and one
// OAuth request per API costs seconds on an estate where nothing happened; like the keys pass
// (./key-pass-plan), anything uncertain lists, and a reconciliation lists regardless.
import type { AuditWrite, FullReconcile, KeyPassState } from "./key-pass-plan";

export type ListedStage = "policies" | "oauth";

/** Same bookkeeping as the keys pass: audit coverage, last listing, skips since. */
export type StagePassState = KeyPassState;

/** Audited writes that can change what a stage lists. */
const RELEVANT: Record<ListedStage, ReadonlySet<string>> = {
  policies: new Set(["policy"]),
  // A new or edited API can enable OAuth (and a deleted one takes its clients along).
  oauth: new Set(["oauth_client", "api"]),
};

export type StagePassPlan = { mode: "list"; reason: string } | { mode: "skip" };

export function planStagePass(args: {
  stage: ListedStage;
  baseline: boolean;
  auditAvailable: boolean;
  prev: StagePassState | null;
  now: Date;
  limits: Pick<FullReconcile, "everyRuns" | "everyMs">;
  writes: AuditWrite[];
}): StagePassPlan {
  const { prev, limits } = args;
  if (args.baseline) return { mode: "list", reason: "baseline" };
  if (!args.auditAvailable) return { mode: "list", reason: "no_audit" };
  if (!prev?.auditCoveredTo || !prev.fullAt) return { mode: "list", reason: "audit_gap" };
  if (prev.incrementalRuns + 1 >= limits.everyRuns) return { mode: "list", reason: "every_runs" };
  if (args.now.getTime() - Date.parse(prev.fullAt) >= limits.everyMs) return { mode: "list", reason: "every_ms" };
  const kinds = RELEVANT[args.stage];
  const hit = args.writes.find((w) => w.targetKind !== null && kinds.has(w.targetKind));
  return hit ? { mode: "list", reason: `${hit.targetKind}_write` } : { mode: "skip" };
}

export function nextStagePassState(prev: StagePassState | null, plan: StagePassPlan, at: Date, auditCoveredTo: string | null): StagePassState {
  return plan.mode === "list"
    ? { auditCoveredTo, fullAt: at.toISOString(), incrementalRuns: 0 }
    : { auditCoveredTo, fullAt: prev?.fullAt ?? null, incrementalRuns: (prev?.incrementalRuns ?? 0) + 1 };
}
