import type { PrismaClient } from "@/lib/generated/prisma/client";

/** One audited write as stored on an AccessChange (see lib/sync/tyk/attribution.ts). */
export interface AuditEntryView {
  id: string;
  at: string;
  user: string | null;
  method: string;
  url: string;
  status: number;
  note?: string;
}

export interface ChangeView {
  id: string;
  kind: string;
  action: string;
  targetId: string;
  targetLabel: string;
  version: number | null;
  actor: string | null;
  changedAt: Date;
  timeSource: "audit" | "first_seen";
  diff: unknown;
  auditEntries: AuditEntryView[];
}

type Row = Awaited<ReturnType<PrismaClient["accessChange"]["findMany"]>>[number];

export function toChangeView(c: Row): ChangeView {
  return {
    id: c.id,
    kind: c.kind,
    action: c.action,
    targetId: c.targetId,
    targetLabel: c.targetLabel,
    version: c.version,
    actor: c.actor,
    changedAt: c.changedAt,
    timeSource: c.timeSource === "audit" ? "audit" : "first_seen",
    diff: c.diff,
    auditEntries: (Array.isArray(c.auditEntries) ? c.auditEntries : []) as unknown as AuditEntryView[],
  };
}

/** Every access change to one target, newest first. */
export async function changesFor(db: PrismaClient, kind: string, targetId: string): Promise<ChangeView[]> {
  const rows = await db.accessChange.findMany({ where: { kind, targetId }, orderBy: [{ changedAt: "desc" }, { createdAt: "desc" }] });
  return rows.map(toChangeView);
}

/** The newest change per target id of `kind` (one query, DISTINCT ON). */
export async function latestChangeByTarget(db: PrismaClient, kind: string, targetIds: string[]): Promise<Map<string, ChangeView>> {
  if (!targetIds.length) return new Map();
  const rows = await db.accessChange.findMany({
    where: { kind, targetId: { in: targetIds } },
    orderBy: [{ targetId: "asc" }, { changedAt: "desc" }],
    distinct: ["targetId"],
  });
  return new Map(rows.map((r) => [r.targetId, toChangeView(r)]));
}

export interface VersionLike {
  version: number;
  observedAt: Date;
  diff: unknown;
}

/** A version with the change that produced it, or an audited write from before the first sync. */
export type HistoryItem =
  | { type: "version"; version: number; observedAt: Date; diff: unknown; change: ChangeView | null }
  | { type: "pre-sync"; change: ChangeView };

/**
 * Merges stored versions with access changes into one newest-first history. A version without a
 * change is a baseline (first sync) snapshot; a change without a version is an audited write the
 * sync could not diff because it happened before Touchline's first sync.
 */
export function buildHistory(versions: VersionLike[], changes: ChangeView[]): HistoryItem[] {
  const byVersion = new Map(changes.filter((c) => c.version !== null).map((c) => [c.version!, c]));
  const items: { at: number; rank: number; item: HistoryItem }[] = versions.map((v) => {
    const change = byVersion.get(v.version) ?? null;
    return { at: (change?.changedAt ?? v.observedAt).getTime(), rank: v.version, item: { type: "version", ...v, change } };
  });
  for (const c of changes) if (c.version === null) items.push({ at: c.changedAt.getTime(), rank: -1, item: { type: "pre-sync", change: c } });
  // Newest first by when it happened; versions observed in the same instant by number.
  return items.sort((a, b) => b.at - a.at || b.rank - a.rank).map((x) => x.item);
}
