import type { PrismaClient } from "@/lib/generated/prisma/client";
import { diffSnapshots, type DiffEntry } from "@/lib/sync/tyk/diff";
import { buildHistory, changesFor, latestChangeByTarget, type ChangeView, type HistoryItem } from "./access-changes";
import { likeLiteral } from "@/lib/queries/like";

export interface PolicyListItem {
  id: string;
  name: string;
  rate: number | null;
  per: number | null;
  quotaMax: string | null;
  active: boolean;
  apis: { id: string; name: string }[];
  lastChange: ChangeView | null;
  lastUpdated: Date | null;
  versions: number;
}

async function apiNames(db: PrismaClient, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.api.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(rows.map((a) => [a.id, a.name]));
}

/** Live policies, optionally filtered by a case-insensitive text match on name, id or tag. */
export async function listPolicies(db: PrismaClient, opts: { q?: string } = {}): Promise<PolicyListItem[]> {
  const q = opts.q?.trim();
  const rows = await db.policy.findMany({
    where: {
      deletedAt: null,
      ...(q ? { OR: [{ name: { contains: likeLiteral(q), mode: "insensitive" } }, { id: { contains: likeLiteral(q) } }, { tags: { has: q } }] } : {}),
    },
    orderBy: { name: "asc" },
    include: { _count: { select: { versions: true } } },
  });
  const [names, changes] = await Promise.all([
    apiNames(db, rows.flatMap((p) => p.apiIds)),
    latestChangeByTarget(db, "policy", rows.map((p) => p.id)),
  ]);
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    rate: p.rate,
    per: p.per,
    quotaMax: p.quotaMax === null ? null : String(p.quotaMax),
    active: p.active,
    apis: p.apiIds.map((id) => ({ id, name: names.get(id) ?? id })),
    lastChange: changes.get(p.id) ?? null,
    lastUpdated: p.lastUpdated,
    versions: p._count.versions,
  }));
}

export interface PolicyDetail {
  policy: { id: string; name: string; rate: number | null; per: number | null; quotaMax: string | null; active: boolean; tags: string[];
    version: number; deletedAt: Date | null; firstSeenAt: Date; syncedAt: Date; lastUpdated: Date | null; snapshot: unknown };
  apis: { id: string; name: string; listenPath: string; endpoints: { id: string; method: string; path: string; operation: string | null }[] }[];
  keys: { keyHash: string; last4: string | null; alias: string | null; identity: string | null; expiresAt: Date | null }[];
  history: HistoryItem[];
  versionNumbers: number[];
}

export async function getPolicyDetail(db: PrismaClient, id: string): Promise<PolicyDetail | null> {
  const p = await db.policy.findUnique({ where: { id } });
  if (!p) return null;
  const [apis, keys, versions, changes] = await Promise.all([
    db.api.findMany({
      where: { id: { in: p.apiIds } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, listenPath: true, endpoints: { orderBy: [{ path: "asc" }, { method: "asc" }], select: { id: true, method: true, path: true, operation: true } } },
    }),
    db.key.findMany({
      where: { policyIds: { has: id }, deletedAt: null },
      orderBy: { alias: "asc" },
      take: 200,
      select: { keyHash: true, last4: true, alias: true, expiresAt: true, identity: { select: { name: true } } },
    }),
    db.policyVersion.findMany({ where: { policyId: id }, orderBy: { version: "desc" }, select: { version: true, observedAt: true, diff: true } }),
    changesFor(db, "policy", id),
  ]);
  return {
    policy: { ...p, quotaMax: p.quotaMax === null ? null : String(p.quotaMax) },
    apis,
    keys: keys.map((k) => ({ keyHash: k.keyHash, last4: k.last4, alias: k.alias, identity: k.identity?.name ?? null, expiresAt: k.expiresAt })),
    history: buildHistory(versions, changes),
    versionNumbers: versions.map((v) => v.version),
  };
}

/** The field diff between two stored versions of a policy (either order), computed now from their snapshots. */
export async function comparePolicyVersions(db: PrismaClient, id: string, from: number, to: number): Promise<DiffEntry[] | null> {
  const rows = await db.policyVersion.findMany({ where: { policyId: id, version: { in: [from, to] } }, select: { version: true, snapshot: true } });
  const a = rows.find((r) => r.version === from);
  const b = rows.find((r) => r.version === to);
  if (!a || !b) return null;
  return diffSnapshots(a.snapshot, b.snapshot);
}
