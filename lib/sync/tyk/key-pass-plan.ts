// Whether the keys stage lists every key (a full reconciliation) or only fetches the keys the audit
// log says were written since the last keys pass. Listing 100,000 keys is ~1,000 requests; an
// unchanged estate should cost none. Anything the audit log cannot pin to known keys falls back to
// the full list, so a change-driven pass never sees less than a full one would.

/** What sync_state["tyk"].keysPass remembers between runs. */
export interface KeyPassState {
  /** Audit log coverage (the audit stage's fetch time) when the last keys pass ran; null = no audit log then. */
  auditCoveredTo: string | null;
  /** When the last full key listing ran (ISO). */
  fullAt: string | null;
  /** Change-driven passes since that full listing. */
  incrementalRuns: number;
}

export interface FullReconcile {
  /** Full listing at least every this many runs (default 12). */
  everyRuns: number;
  /** ... and at least this often (default one hour). */
  everyMs: number;
  /** More audited key targets than this and listing is cheaper than fetching one by one (default 200). */
  maxTargets: number;
}

export const DEFAULT_FULL_RECONCILE: FullReconcile = { everyRuns: 12, everyMs: 3_600_000, maxTargets: 200 };

/** An audited write as stored in tyk_audit_entries. */
export interface AuditWrite {
  targetKind: string | null;
  targetId: string | null;
}

export type KeyPassPlan = { mode: "full"; reason: string } | { mode: "targeted"; keyHashes: string[] };

export function planKeyPass(args: {
  baseline: boolean;
  auditAvailable: boolean;
  prev: KeyPassState | null;
  now: Date;
  limits: FullReconcile;
  /** Writes audited since prev.auditCoveredTo (with overlap); only read when the rest allows a targeted pass. */
  writes: AuditWrite[];
}): KeyPassPlan {
  const { prev, limits } = args;
  if (args.baseline) return { mode: "full", reason: "baseline" };
  if (!args.auditAvailable) return { mode: "full", reason: "no_audit" };
  if (!prev?.auditCoveredTo || !prev.fullAt) return { mode: "full", reason: "audit_gap" };
  if (prev.incrementalRuns + 1 >= limits.everyRuns) return { mode: "full", reason: "every_runs" };
  if (args.now.getTime() - Date.parse(prev.fullAt) >= limits.everyMs) return { mode: "full", reason: "every_ms" };
  const hashes = new Set<string>();
  for (const w of args.writes) {
    // A policy edit rewrites the sessions of every key under it; API and OAuth client writes can
    // also reach keys. Such writes are rare next to key traffic, and the full listing keeps the
    // policy-derived key versions exactly as before.
    if (w.targetKind === "policy" || w.targetKind === "api" || w.targetKind === "oauth_client") return { mode: "full", reason: `${w.targetKind}_write` };
    if (w.targetKind !== "key") continue;
    // A create names no key (POST /api/keys); new keys also need the listing for rotation detection.
    if (!w.targetId) return { mode: "full", reason: "key_create" };
    hashes.add(w.targetId);
  }
  if (hashes.size > limits.maxTargets) return { mode: "full", reason: "many_targets" };
  return { mode: "targeted", keyHashes: [...hashes].sort() };
}

/** The state after a keys pass. `auditCoveredTo` is null when this run had no audit log. */
export function nextKeyPassState(prev: KeyPassState | null, plan: KeyPassPlan, fetchedAt: Date, auditCoveredTo: string | null): KeyPassState {
  return plan.mode === "full"
    ? { auditCoveredTo, fullAt: fetchedAt.toISOString(), incrementalRuns: 0 }
    : { auditCoveredTo, fullAt: prev?.fullAt ?? null, incrementalRuns: (prev?.incrementalRuns ?? 0) + 1 };
}
