import type { PrismaClient } from "@/lib/generated/prisma/client";
import { changesFor, latestChangeByTarget, buildHistory, type ChangeView, type HistoryItem } from "./access-changes";
import { keyWhere, type KeyFilters } from "./key-filters";

export interface KeyListItem {
  keyHash: string;
  last4: string | null;
  alias: string | null;
  identity: { id: string; name: string; kind: string } | null;
  policies: { id: string; name: string }[];
  createdAt: Date;
  expiresAt: Date | null;
  isInactive: boolean;
  lastChange: ChangeView | null;
}

export interface KeyPage {
  items: KeyListItem[];
  total: number;
}

async function policyNames(db: PrismaClient, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.policy.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(rows.map((p) => [p.id, p.name]));
}

/** One page of live keys matching `filters`, filtered and paged in SQL. Never returns raw keys (we do not hold them). */
export async function listKeys(db: PrismaClient, filters: KeyFilters, now = new Date()): Promise<KeyPage> {
  const where = keyWhere(filters, now);
  const [total, rows] = await Promise.all([
    db.key.count({ where }),
    db.key.findMany({
      where,
      orderBy: [{ alias: "asc" }, { keyHash: "asc" }],
      skip: (filters.page - 1) * filters.pageSize,
      take: filters.pageSize,
      include: { identity: { select: { id: true, name: true, kind: true } } },
    }),
  ]);
  const [names, changes] = await Promise.all([
    policyNames(db, rows.flatMap((k) => k.policyIds)),
    latestChangeByTarget(db, "key", rows.map((k) => k.keyHash)),
  ]);
  return {
    total,
    items: rows.map((k) => ({
      keyHash: k.keyHash,
      last4: k.last4,
      alias: k.alias,
      identity: k.identity,
      policies: k.policyIds.map((id) => ({ id, name: names.get(id) ?? id })),
      createdAt: k.tykCreatedAt ?? k.firstSeenAt,
      expiresAt: k.expiresAt,
      isInactive: k.isInactive,
      lastChange: changes.get(k.keyHash) ?? null,
    })),
  };
}

/** Choices for the Keys page's filter menus. */
export async function keyFilterOptions(db: PrismaClient): Promise<{ policies: { id: string; name: string }[]; identities: { id: string; name: string }[] }> {
  const [policies, identities] = await Promise.all([
    db.policy.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.identity.findMany({ where: { keys: { some: {} } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { policies, identities };
}

export interface KeyDetail {
  key: KeyListItem & { deletedAt: Date | null; rate: number | null; per: number | null; quotaMax: string | null; firstSeenAt: Date; syncedAt: Date;
    apis: { id: string; name: string }[]; oauthClientId: string | null };
  history: HistoryItem[];
}

export async function getKeyDetail(db: PrismaClient, keyHash: string): Promise<KeyDetail | null> {
  const k = await db.key.findUnique({ where: { keyHash }, include: { identity: { select: { id: true, name: true, kind: true } } } });
  if (!k) return null;
  const [names, apis, versions, changes] = await Promise.all([
    policyNames(db, k.policyIds),
    db.api.findMany({ where: { id: { in: k.apiIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.keyVersion.findMany({ where: { keyHash }, orderBy: { version: "desc" }, select: { version: true, observedAt: true, diff: true } }),
    changesFor(db, "key", keyHash),
  ]);
  return {
    key: {
      keyHash: k.keyHash, last4: k.last4, alias: k.alias, identity: k.identity, isInactive: k.isInactive,
      policies: k.policyIds.map((id) => ({ id, name: names.get(id) ?? id })),
      createdAt: k.tykCreatedAt ?? k.firstSeenAt, expiresAt: k.expiresAt, lastChange: changes[0] ?? null,
      deletedAt: k.deletedAt, rate: k.rate, per: k.per, quotaMax: k.quotaMax === null ? null : String(k.quotaMax),
      firstSeenAt: k.firstSeenAt, syncedAt: k.syncedAt, apis, oauthClientId: k.oauthClientId,
    },
    history: buildHistory(versions, changes),
  };
}

export interface UsageHour {
  hour: Date;
  hits: number;
  errors: number;
  avgMs: number | null;
}

export interface KeyUsage {
  /** "requests": the Pump's request records; "activity": the Dashboard's hourly analytics (no Pump database). */
  source: "requests" | "activity" | "none";
  since: Date;
  hours: UsageHour[];
  hits: number;
  /** Responses >= 400, as Tyk counts errors. */
  errors: number;
  avgMs: number | null;
}

const HOUR_MS = 3_600_000;

function summarise(source: KeyUsage["source"], since: Date, hours: UsageHour[]): KeyUsage {
  const hits = hours.reduce((a, h) => a + h.hits, 0);
  const timed = hours.filter((h) => h.avgMs !== null && h.hits > 0);
  const timedHits = timed.reduce((a, h) => a + h.hits, 0);
  return {
    source, since, hours, hits, errors: hours.reduce((a, h) => a + h.errors, 0),
    avgMs: timedHits ? timed.reduce((a, h) => a + h.avgMs! * h.hits, 0) / timedHits : null,
  };
}

/**
 * A key's traffic per hour over the last `hours` hours: from request records when the Pump feeds
 * us any for this key, otherwise from the Dashboard's hourly analytics (key_activity).
 */
export async function getKeyUsage(db: PrismaClient, keyHash: string, opts: { now?: Date; hours?: number } = {}): Promise<KeyUsage> {
  const now = opts.now ?? new Date();
  const since = new Date(Math.floor((now.getTime() - (opts.hours ?? 24) * HOUR_MS) / HOUR_MS) * HOUR_MS + HOUR_MS);
  // The key's callers (one per identity/client/policies it was seen with): ranges of the (caller_id, ts) index.
  const callerIds = (await db.requestCaller.findMany({ where: { keyHash }, select: { id: true } })).map((c) => c.id);
  const anyRecord = callerIds.length ? await db.requestRecord.findFirst({ where: { callerId: { in: callerIds } }, select: { ts: true } }) : null;
  if (anyRecord) {
    const rows = await db.$queryRaw<{ hour: Date; hits: bigint; errors: bigint; avg: number | null }[]>`
      SELECT date_trunc('hour', ts) AS hour, count(*) AS hits, count(*) FILTER (WHERE status >= 400) AS errors, avg(latency_ms)::float8 AS avg
        FROM request_records WHERE caller_id = ANY(${callerIds}::int[]) AND ts >= ${since} GROUP BY 1 ORDER BY 1`;
    return summarise("requests", since, rows.map((r) => ({ hour: r.hour, hits: Number(r.hits), errors: Number(r.errors), avgMs: r.avg })));
  }
  const rows = await db.keyActivity.findMany({ where: { keyHash, hour: { gte: since } }, orderBy: { hour: "asc" } });
  if (!rows.length) return summarise("none", since, []);
  return summarise("activity", since, rows.map((r) => ({ hour: r.hour, hits: r.hits, errors: r.errors, avgMs: r.avgRequestMs })));
}
