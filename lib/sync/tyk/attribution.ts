// Who made a change and when. The audit log says who sent which write when; the diff says what
// changed. Each change found by a sync takes the audited writes on its target since the previous
// fetch of that entity type: the latest one gives actor and time, all of them are kept so that
// several writes between two syncs all show against the one net diff. No write → the time the
// sync first saw it, actor unknown.

export interface AuditRef {
  id: string;
  at: Date;
  user: string | null;
  method: string;
  url: string;
  status: number;
}

export interface Attribution {
  actor: string | null;
  changedAt: Date;
  timeSource: "audit" | "first_seen";
  auditEntries: { id: string; at: string; user: string | null; method: string; url: string; status: number; note?: string }[];
}

export function auditEntryJson(e: AuditRef, note?: string): Attribution["auditEntries"][number] {
  return { id: e.id, at: e.at.toISOString(), user: e.user, method: e.method, url: e.url, status: e.status, ...(note ? { note } : {}) };
}

export function attributeChange(entries: AuditRef[], seenAt: Date): Attribution {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  const last = sorted[sorted.length - 1];
  if (!last) return { actor: null, changedAt: seenAt, timeSource: "first_seen", auditEntries: [] };
  return { actor: last.user, changedAt: last.at, timeSource: "audit", auditEntries: sorted.map((e) => auditEntryJson(e)) };
}

/**
 * A create is audited on the collection URL (no id). Pair a new entity with the collection write
 * closest to its creation time (Tyk's date_created), or the latest one when that is unknown.
 */
export function pickCreateEntry(candidates: AuditRef[], createdAt: Date | null, taken: Set<string>): AuditRef | null {
  const free = candidates.filter((c) => !taken.has(c.id));
  if (!free.length) return null;
  const best = createdAt
    ? free.reduce((a, b) => (Math.abs(b.at.getTime() - createdAt.getTime()) < Math.abs(a.at.getTime() - createdAt.getTime()) ? b : a))
    : free.reduce((a, b) => (b.at > a.at ? b : a));
  taken.add(best.id);
  return best;
}

/** AccessChange action for an audited write when no diff is available (history before the first sync). */
export function actionForMethod(kind: string, method: string): "create" | "update" | "delete" | "revoke" {
  const m = method.toUpperCase();
  if (m === "POST") return "create";
  if (m === "DELETE") return kind === "key" ? "revoke" : "delete";
  return "update";
}
