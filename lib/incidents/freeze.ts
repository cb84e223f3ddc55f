// Freezing: the investigation and everything its page draws, plus the policy/key versions it
// refers to, copied into one JSON value so the incident looks the same after the live data ages
// out or the policy changes again.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { loadEndpointPage, type TraceUiConfig } from "@/lib/queries/endpoint-page";
import type { FrozenEvidence, FrozenVersion } from "./types";

export interface FreezeInput {
  endpointId: string;
  from: number;
  to: number;
  userType?: string;
  /** Defaults to the configured trace backend (env). */
  traceUi?: TraceUiConfig | null;
  now?: Date;
}

/** Runs the investigation for the window and copies it with its chart context and referenced versions. */
export async function freezeEvidence(db: PrismaClient, input: FreezeInput): Promise<FrozenEvidence> {
  const req = { from: input.from, to: input.to, userType: input.userType };
  const page = input.traceUi === undefined ? await loadEndpointPage(db, input.endpointId, req) : await loadEndpointPage(db, input.endpointId, req, input.traceUi);
  const inv = page.investigation;
  // The analysed window's changes (the chart's wider context may hold a day of them) and the suspects'.
  const from = Date.parse(inv.window.from), to = Date.parse(inv.window.to);
  const changeIds = new Set([
    ...page.context.markers.filter((m) => m.at >= from && m.at < to).map((m) => m.id),
    ...[...inv.suspects, ...inv.notSignificant].filter((s) => s.kind === "access_change").map((s) => s.id),
    ...inv.timeline.flatMap((t) => (t.type === "access_change" ? [t.id] : [])),
  ]);
  const keyHashes = [...inv.suspects, ...inv.notSignificant].filter((s) => s.kind === "key").map((s) => s.id);
  const versions = await referencedVersions(db, [...changeIds], keyHashes, new Date(to));
  return {
    format: 1,
    frozenAt: (input.now ?? new Date()).toISOString(),
    investigation: inv,
    context: page.context,
    traceUi: page.traceUi,
    versions,
  };
}

/**
 * The policy and key versions that the access changes produced, and for suspected keys the
 * version that was current at the window's end.
 */
export async function referencedVersions(db: PrismaClient, changeIds: string[], keyHashes: string[], asOf: Date): Promise<FrozenVersion[]> {
  const changes = changeIds.length
    ? await db.accessChange.findMany({
      where: { id: { in: changeIds }, kind: { in: ["policy", "key"] }, version: { not: null } },
      select: { id: true, kind: true, targetId: true, targetLabel: true, version: true },
    })
    : [];
  const out: FrozenVersion[] = [];
  const seen = new Set<string>();
  const push = (v: FrozenVersion) => {
    const k = `${v.kind}:${v.targetId}:${v.version}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  };
  const policyRefs = changes.filter((c) => c.kind === "policy");
  const keyRefs = changes.filter((c) => c.kind === "key");
  const [pvs, kvs, suspectKeys] = await Promise.all([
    policyRefs.length
      ? db.policyVersion.findMany({ where: { OR: policyRefs.map((c) => ({ policyId: c.targetId, version: c.version! })) } })
      : [],
    keyRefs.length ? db.keyVersion.findMany({ where: { OR: keyRefs.map((c) => ({ keyHash: c.targetId, version: c.version! })) } }) : [],
    keyHashes.length
      ? db.key.findMany({
        where: { keyHash: { in: keyHashes } },
        select: { keyHash: true, alias: true, last4: true, versions: { where: { observedAt: { lte: asOf } }, orderBy: { version: "desc" }, take: 1 } },
      })
      : [],
  ]);
  for (const c of changes) {
    const row = c.kind === "policy"
      ? pvs.find((v) => v.policyId === c.targetId && v.version === c.version)
      : kvs.find((v) => v.keyHash === c.targetId && v.version === c.version);
    if (!row) continue;
    push({ kind: c.kind as "policy" | "key", targetId: c.targetId, label: c.targetLabel, version: row.version,
      observedAt: row.observedAt.toISOString(), snapshot: row.snapshot, diff: row.diff, changeId: c.id });
  }
  for (const k of suspectKeys) {
    const v = k.versions[0];
    if (v) {
      push({ kind: "key", targetId: k.keyHash, label: k.alias ?? `…${k.last4 ?? ""}`, version: v.version,
        observedAt: v.observedAt.toISOString(), snapshot: v.snapshot, diff: v.diff, changeId: null });
    }
  }
  return out.sort((a, b) => a.observedAt.localeCompare(b.observedAt));
}
