import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface IdentityTraffic {
  /** "activity": no request records, so from the Dashboard's hourly per-key analytics (key_activity). */
  source: "requests" | "activity" | "none";
  requests: number;
  /** 5xx for request records; responses >= 400 (Tyk's count) for activity. */
  errors: number;
  p99Ms: number | null;
  /** Only from activity: the Dashboard gives averages, not percentiles. */
  avgMs: number | null;
}

export interface IdentityListItem {
  id: string;
  kind: string;
  name: string;
  email: string | null;
  team: string | null;
  keys: { keyHash: string; last4: string | null; alias: string | null }[];
  traffic: IdentityTraffic;
}

interface TrafficRow {
  identity_id: string;
  requests: bigint;
  errors: bigint;
  p99: number | null;
}

/**
 * Per-identity request count, 5xx count and p99 latency since `since`, aggregated in SQL. A request
 * whose ingest found no identity is joined through its key, so traffic from keys mapped after the
 * ingest still counts.
 */
export async function trafficByIdentity(db: PrismaClient, since: Date): Promise<Map<string, IdentityTraffic>> {
  const rows = await db.$queryRaw<TrafficRow[]>`
    SELECT COALESCE(c.identity_id, k.identity_id) AS identity_id,
           count(*) AS requests,
           count(*) FILTER (WHERE r.status >= 500) AS errors,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY r.latency_ms) AS p99
      FROM request_records r
      JOIN request_callers c ON c.id = r.caller_id
      LEFT JOIN keys k ON k.key_hash = c.key_hash
     WHERE r.ts >= ${since}
       AND COALESCE(c.identity_id, k.identity_id) IS NOT NULL
     GROUP BY 1`;
  return new Map(rows.map((r) => [r.identity_id, {
    source: "requests" as const, requests: Number(r.requests), errors: Number(r.errors), p99Ms: r.p99 === null ? null : Number(r.p99), avgMs: null,
  }]));
}

/** Per-identity hits, errors (>= 400) and hit-weighted average latency from key_activity hours starting at or after `since`. */
export async function activityByIdentity(db: PrismaClient, since: Date): Promise<Map<string, IdentityTraffic>> {
  const rows = await db.$queryRaw<{ identity_id: string; hits: bigint; errors: bigint; avg: number | null }[]>`
    SELECT k.identity_id, sum(a.hits) AS hits, sum(a.errors) AS errors,
           (sum(a.avg_request_ms * a.hits) / NULLIF(sum(a.hits) FILTER (WHERE a.avg_request_ms IS NOT NULL), 0))::float8 AS avg
      FROM key_activity a
      JOIN keys k ON k.key_hash = a.key_hash
     WHERE a.hour >= ${since} AND k.identity_id IS NOT NULL
     GROUP BY 1`;
  return new Map(rows.map((r) => [r.identity_id, {
    source: "activity" as const, requests: Number(r.hits), errors: Number(r.errors), p99Ms: null, avgMs: r.avg === null ? null : Number(r.avg),
  }]));
}

export async function listIdentities(db: PrismaClient, opts: { kind?: string; now?: Date } = {}): Promise<IdentityListItem[]> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const [rows, traffic, activity] = await Promise.all([
    db.identity.findMany({
      where: opts.kind ? { kind: opts.kind } : {},
      orderBy: [{ kind: "asc" }, { name: "asc" }],
      include: { keys: { where: { deletedAt: null }, orderBy: { alias: "asc" }, select: { keyHash: true, last4: true, alias: true } } },
    }),
    trafficByIdentity(db, since),
    // Hours that start inside the window: the hour containing `since` would count up to 59 min too early.
    activityByIdentity(db, new Date(Math.ceil(since.getTime() / 3_600_000) * 3_600_000)),
  ]);
  return rows.map((i) => ({
    id: i.id, kind: i.kind, name: i.name, email: i.email, team: i.team, keys: i.keys,
    traffic: traffic.get(i.id) ?? activity.get(i.id) ?? { source: "none", requests: 0, errors: 0, p99Ms: null, avgMs: null },
  }));
}
