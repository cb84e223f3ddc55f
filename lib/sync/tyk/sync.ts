import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TykClient } from "@/lib/tyk/client";
import { readState, runOptionsOf, withSyncRun, writeState, type SyncResult, type SyncRunOptions } from "@/lib/sync/sync-run";
import { dbAuditIndex, syncAuditLog, type AuditMode } from "./stage-audit";
import { syncApis } from "./stage-apis";
import { recordPreHistory } from "./stage-history";
import { syncKeys } from "./stage-keys";
import { syncOAuthClients } from "./stage-oauth";
import { syncPolicies } from "./stage-policies";
import { syncUsers } from "./stage-users";
import { DEFAULT_FULL_RECONCILE, nextKeyPassState, planKeyPass, type FullReconcile, type KeyPassState } from "./key-pass-plan";
import type { StageCtx, StageName } from "./stage";
import { nextStagePassState, planStagePass, type ListedStage, type StagePassState } from "./stage-pass-plan";

export const TYK_SYNC_STATE = "tyk";

/** What sync_state["tyk"] holds between runs. */
export interface TykSyncState {
  /** Set when the first (baseline) run finished every stage. */
  baselineDone: boolean;
  /** Per stage: when the last finished pass fetched it (ISO). Audit writes after it belong to the next changes. */
  lastFetched: Partial<Record<StageName, string>>;
  /** Newest audit record stored (ISO). */
  auditCursor: string | null;
  /** The run in flight: stages it finished. A killed run leaves this behind and the next run skips them. */
  inProgress: { startedAt: string; done: StageName[] } | null;
  /** How the last keys pass ran: decides whether the next may be change-driven. */
  keysPass?: KeyPassState | null;
  /** The same for the policy and OAuth-client listings. */
  stagePasses?: Partial<Record<ListedStage, StagePassState>>;
}

export interface SyncTykOptions extends SyncRunOptions {
  db: PrismaClient;
  client: TykClient;
  /** "auto": use the audit log where the Dashboard has one; "on": fail without it; "off": never read it. */
  auditLog: AuditMode;
  /** How far back the first run reads the audit log. Default 7 days. */
  auditLookbackDays?: number;
  now?: () => Date;
  /** When an incremental run must still list every key (default: every 12th run, at least hourly). */
  fullReconcile?: Partial<FullReconcile>;
}

// Order matters: users (actors) and the audit log first so changes can be attributed; policies
// before keys (a key reaches its policies' APIs); APIs before OAuth clients (listed per API).
const STAGES: StageName[] = ["users", "audit", "apis", "policies", "oauth", "keys", "history"];

/**
 * One Tyk sync: pulls APIs (+ endpoints), policies, keys, OAuth clients, users and the audit log;
 * writes a new version + AccessChange for every entity that differs from what is stored.
 * Idempotent (no upstream change → no new rows) and resumable (finished stages are skipped after
 * a killed run; within a stage each entity commits on its own).
 */
export async function syncTyk(opts: SyncTykOptions): Promise<SyncResult> {
  const { db, client } = opts;
  const now = opts.now ?? (() => new Date());
  return withSyncRun(
    db,
    "tyk",
    opts.trigger,
    async (ctx) => {
      const stored = await readState<TykSyncState>(db, TYK_SYNC_STATE);
      const state: TykSyncState = {
        baselineDone: stored?.baselineDone ?? false,
        lastFetched: stored?.lastFetched ?? {},
        auditCursor: stored?.auditCursor ?? null,
        inProgress: stored?.inProgress ?? { startedAt: now().toISOString(), done: [] },
        keysPass: stored?.keysPass ?? null,
        stagePasses: stored?.stagePasses ?? {},
      };
      const run = state.inProgress!;
      if (stored?.inProgress) ctx.count("resumed");
      await writeState(db, TYK_SYNC_STATE, state);
      let auditAvailable = opts.auditLog !== "off";
      const s: StageCtx = {
        db, client, ctx, signal: opts.signal, baseline: !state.baselineDone, now,
        windowStart: (stage) => (state.lastFetched[stage] ? new Date(state.lastFetched[stage]!) : null),
        audit: null,
      };
      for (const [i, stage] of STAGES.entries()) {
        opts.signal?.throwIfAborted();
        await ctx.progress(stage, i, STAGES.length);
        const startedAt = now();
        let listed = true;
        // The audit index is needed even when the audit stage was finished by an earlier, killed run.
        if (stage === "audit" && !run.done.includes("audit")) {
          const res = await syncAuditLog({
            db, client, ctx, mode: opts.auditLog, now: startedAt, signal: opts.signal, lookbackDays: opts.auditLookbackDays ?? 7,
            cursor: state.auditCursor ? new Date(state.auditCursor) : null,
          });
          auditAvailable = res.supported;
          state.auditCursor = res.cursor?.toISOString() ?? null;
        }
        if (stage === "audit") {
          s.audit = auditAvailable ? dbAuditIndex(db) : null;
        } else if (!run.done.includes(stage)) {
          if (stage === "users") await syncUsers(s).catch((err) => ctx.fault("users", err));
          if (stage === "apis") await syncApis(s);
          if (stage === "policies" || stage === "oauth") {
            listed = await runListedStage(s, state, stage, auditAvailable, { ...DEFAULT_FULL_RECONCILE, ...opts.fullReconcile });
          }
          if (stage === "keys") await runKeysPass(s, state, auditAvailable, { ...DEFAULT_FULL_RECONCILE, ...opts.fullReconcile });
          if (stage === "history" && s.baseline && s.audit) await recordPreHistory(s, new Date(run.startedAt));
        }
        // A stage skipped on resume keeps the fetch time of the killed run that did it.
        // A skipped listing leaves the stage's window open: its next listing attributes from there.
        if (!run.done.includes(stage)) {
          run.done.push(stage);
          if (listed) state.lastFetched[stage] = startedAt.toISOString();
          await writeState(db, TYK_SYNC_STATE, state);
        }
      }
      state.baselineDone = true;
      state.inProgress = null;
      await writeState(db, TYK_SYNC_STATE, state);
      await ctx.progress("done", STAGES.length, STAGES.length);
    },
    runOptionsOf(opts),
  );
}

// Audit entries can be stamped a little before they become readable (the audit stage re-reads the
// same overlap), so a change-driven pass looks back this far past the previous coverage.
const KEYS_AUDIT_OVERLAP_MS = 5 * 60_000;

async function runKeysPass(s: StageCtx, state: TykSyncState, auditAvailable: boolean, limits: FullReconcile): Promise<void> {
  const prev = state.keysPass ?? null;
  const at = s.now();
  const writes = prev?.auditCoveredTo && auditAvailable && !s.baseline
    ? await s.db.tykAuditEntry.findMany({
        where: { at: { gt: new Date(Date.parse(prev.auditCoveredTo) - KEYS_AUDIT_OVERLAP_MS) } },
        select: { targetKind: true, targetId: true },
      })
    : [];
  const plan = planKeyPass({ baseline: s.baseline, auditAvailable: Boolean(s.audit), prev, now: at, limits, writes });
  const ran = await syncKeys(s, plan.mode === "targeted" ? plan.keyHashes : null);
  s.ctx.count(ran === "full" ? `keys_full_${plan.mode === "full" ? plan.reason : "unresolved"}` : "keys_change_driven");
  // Coverage is the audit stage's fetch time (this run's, or the killed run's that did the stage).
  const covered = s.audit ? (state.lastFetched.audit ?? null) : null;
  state.keysPass = nextKeyPassState(prev, ran === "full" ? { mode: "full", reason: "" } : plan, at, covered);
}

/**
 * Policies or OAuth clients: listed unless the audit log shows no write that could change them
 * (./stage-pass-plan). Returns whether the listing ran. A failed OAuth listing is a fault and
 * forgets the stage's coverage, so the next run lists again.
 */
async function runListedStage(s: StageCtx, state: TykSyncState, stage: ListedStage, auditAvailable: boolean, limits: FullReconcile): Promise<boolean> {
  const passes = (state.stagePasses ??= {});
  const prev = passes[stage] ?? null;
  const at = s.now();
  const writes = prev?.auditCoveredTo && auditAvailable && !s.baseline
    ? await s.db.tykAuditEntry.findMany({
        where: { at: { gt: new Date(Date.parse(prev.auditCoveredTo) - KEYS_AUDIT_OVERLAP_MS) }, targetKind: { in: ["policy", "api", "oauth_client"] } },
        select: { targetKind: true, targetId: true },
      })
    : [];
  const plan = planStagePass({ stage, baseline: s.baseline, auditAvailable: Boolean(s.audit), prev, now: at, limits, writes });
  if (plan.mode === "skip") {
    s.ctx.count(`${stage}_change_driven_skip`);
  } else if (stage === "policies") {
    await syncPolicies(s);
  } else if (!(await syncOAuthClients(s).then(() => true, (err) => (s.ctx.fault("oauth", err), false)))) {
    delete passes[stage];
    return true;
  }
  passes[stage] = nextStagePassState(prev, plan, at, s.audit ? (state.lastFetched.audit ?? null) : null);
  return plan.mode === "list";
}
