import { actionForMethod, auditEntryJson } from "./attribution";
import { accessChangeData, type StageCtx } from "./stage";

export const BEFORE_FIRST_SYNC = "before Touchline's first sync";

/**
 * First sync only. What changed before Touchline existed cannot be diffed, but the audit log still
 * says who wrote to what and when: each such write becomes an AccessChange with an empty diff,
 * no version, and the note BEFORE_FIRST_SYNC on its audit entry. Its id is derived from the audit
 * entry's, so a re-run adds nothing.
 */
export async function recordPreHistory(s: StageCtx, upTo: Date): Promise<void> {
  const entries = await s.db.tykAuditEntry.findMany({
    where: { targetId: { not: null }, targetKind: { not: null }, at: { lte: upTo }, status: { gte: 200, lt: 300 } },
    orderBy: { at: "asc" },
  });
  if (!entries.length) return;
  // Only the entries' targets (and the keys under targeted policies): loading every key of a
  // 100,000-key estate through Prisma took this stage ~5 s for a few dozen entries.
  const idsOf = (kind: string) => [...new Set(entries.filter((e) => e.targetKind === kind).map((e) => e.targetId!))];
  const [apiIds, policyIds, keyHashes, clientIds] = ["api", "policy", "key", "oauth_client"].map(idsOf);
  const [apis, policies, keys, underPolicies, clients] = await Promise.all([
    s.db.api.findMany({ where: { OR: [{ id: { in: apiIds } }, { dbId: { in: apiIds } }] }, select: { id: true, dbId: true, name: true } }),
    s.db.policy.findMany({ where: { id: { in: policyIds } }, select: { id: true, name: true, apiIds: true } }),
    s.db.key.findMany({ where: { keyHash: { in: keyHashes } }, select: { keyHash: true, alias: true, apiIds: true } }),
    policyIds.length ? s.db.key.findMany({ where: { policyIds: { hasSome: policyIds } }, select: { keyHash: true, policyIds: true } }) : [],
    s.db.oAuthClient.findMany({ where: { id: { in: clientIds } }, select: { id: true, name: true, apiId: true } }),
  ]);
  const rows = entries.flatMap((e) => {
    const id = e.targetId!;
    let target: { id: string; label: string; apiIds: string[]; keyHashes: string[] } | null = null;
    if (e.targetKind === "policy") {
      const p = policies.find((x) => x.id === id);
      target = { id, label: p?.name ?? id, apiIds: p?.apiIds ?? [], keyHashes: underPolicies.filter((k) => k.policyIds.includes(id)).map((k) => k.keyHash) };
    } else if (e.targetKind === "api") {
      const a = apis.find((x) => x.id === id || x.dbId === id);
      target = { id: a?.id ?? id, label: a?.name ?? id, apiIds: [a?.id ?? id], keyHashes: [] };
    } else if (e.targetKind === "key") {
      const k = keys.find((x) => x.keyHash === id);
      target = { id, label: k?.alias ?? `…${id.slice(-4)}`, apiIds: k?.apiIds ?? [], keyHashes: [id] };
    } else if (e.targetKind === "oauth_client") {
      const c = clients.find((x) => x.id === id);
      target = { id, label: c?.name ?? id, apiIds: c?.apiId ? [c.apiId] : [], keyHashes: [] };
    }
    if (!target) return [];
    const ref = { id: e.id, at: e.at, user: e.user, method: e.method, url: e.url, status: e.status };
    return [{
      id: `pre-${e.id}`,
      ...accessChangeData({
        kind: e.targetKind as "policy" | "key" | "api" | "oauth_client",
        action: actionForMethod(e.targetKind!, e.method),
        targetId: target.id,
        targetLabel: target.label,
        version: null,
        diff: [],
        attribution: { actor: e.user, changedAt: e.at, timeSource: "audit", auditEntries: [auditEntryJson(ref, BEFORE_FIRST_SYNC)] },
        apiIds: target.apiIds,
        keyHashes: target.keyHashes,
      }),
    }];
  });
  const { count } = await s.db.accessChange.createMany({ data: rows as never, skipDuplicates: true });
  s.ctx.count("pre_history_changes", count);
}
