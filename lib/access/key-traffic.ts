import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ANALYTICS_SYNC_STATE } from "@/lib/sync/analytics/ingest";
import { RECENT_MINUTES, type KeyTraffic } from "./rotation/verdict";

const EMPTY: KeyTraffic = { requests: 0, recent: 0, refused: 0, firstAt: null, lastAt: null };

/**
 * Requests per key since `since` (and in the last RECENT_MINUTES), read from request_records through
 * the keys' callers: index ranges of (caller_id, ts) in the days since `since`, not a scan.
 */
export async function keyTraffic(db: PrismaClient, keyHashes: string[], since: Date, now = new Date()): Promise<Map<string, KeyTraffic>> {
  const out = new Map(keyHashes.map((h) => [h, { ...EMPTY }]));
  if (!keyHashes.length) return out;
  const recentFrom = new Date(now.getTime() - RECENT_MINUTES * 60_000);
  const rows = await db.$queryRaw<{ key_hash: string; n: bigint; recent: bigint; refused: bigint; first_at: Date | null; last_at: Date | null }[]>`
    SELECT c.key_hash, count(*) AS n, count(*) FILTER (WHERE r.ts >= ${recentFrom}) AS recent,
           count(*) FILTER (WHERE r.status IN (401, 403)) AS refused, min(r.ts) FILTER (WHERE r.status NOT IN (401, 403)) AS first_at, max(r.ts) AS last_at
      FROM request_callers c JOIN request_records r ON r.caller_id = c.id
     WHERE c.key_hash = ANY(${keyHashes}::text[]) AND r.ts >= ${since}
     GROUP BY c.key_hash`;
  for (const r of rows) out.set(r.key_hash, { requests: Number(r.n), recent: Number(r.recent), refused: Number(r.refused), firstAt: r.first_at, lastAt: r.last_at });
  return out;
}

/** The newest request time ingested so far: traffic views say "as of" this. */
export async function requestRecordsUpTo(db: PrismaClient): Promise<Date | null> {
  const row = await db.syncState.findUnique({ where: { name: ANALYTICS_SYNC_STATE }, select: { value: true } });
  const ts = (row?.value as { ts?: string } | null)?.ts;
  return ts ? new Date(ts) : null;
}
