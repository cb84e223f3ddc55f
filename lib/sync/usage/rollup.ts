import type { PrismaClient } from "@/lib/generated/prisma/client";
import { poolOf } from "@/lib/db";
import { inTransaction } from "@/lib/pg-client";
import { ANALYTICS_SYNC_STATE } from "@/lib/sync/analytics/ingest";
import { loadingDays } from "@/lib/sync/analytics/partitions";

// "Last used" and request volume per key and OAuth client for the hygiene page, without reading a
// month of request records each time. request_records is rolled up per (UTC day, caller, API) into
// usage_days, one day partition at a time; a day is final once ingestion has moved an hour past its
// end (and it is no longer loading), and final days are never read again. The final days' sums per
// key and client are kept in usage_final_summaries (rebuilt when the set of final days in the window
// changes, about once a day); each refresh adds the unfinished days' to them in usage_summaries.
//
// The statements run on one pg connection with plain transactions: a day's aggregate at 10 M records
// a month takes seconds, past the interactive-transaction timeout Prisma puts on $transaction.

export const USAGE_STATE = "usage-rollup";
const DAY_MS = 86_400_000;
/** Past a day's end by this much, ingestion has its late rows too (its look-back is 2 min). */
const FINAL_AFTER_MS = 3_600_000;

interface UsageState {
  final: string[];
  /** The final days usage_final_summaries was built from. */
  finalKey?: string;
  refreshedAt?: string;
  coverageFrom?: string | null;
}

export interface UsageRefresh {
  daysComputed: number;
  summaries: number;
  /** The first day with request records in the window: "unused" can only be said about what is covered. */
  coverageFrom: Date | null;
  refreshedAt: Date;
}

const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The days of the window ending today (UTC), oldest first. */
export function windowDays(now: Date, days: number): string[] {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return Array.from({ length: days + 1 }, (_, i) => dayString(today - (days - i) * DAY_MS));
}

/** Whether ingestion is done with `day`: an hour past its end and not loading. */
export function isFinalDay(day: string, watermark: Date | null, loading: ReadonlySet<string>): boolean {
  if (!watermark || loading.has(day)) return false;
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS + FINAL_AFTER_MS <= watermark.getTime();
}

async function readState(db: PrismaClient): Promise<UsageState> {
  const row = await db.syncState.findUnique({ where: { name: USAGE_STATE } });
  const v = (row?.value ?? {}) as Partial<UsageState>;
  return { final: Array.isArray(v.final) ? v.final : [], finalKey: v.finalKey, refreshedAt: v.refreshedAt, coverageFrom: v.coverageFrom ?? null };
}

/** When the rollup was last refreshed and what it covers (null: never). */
export async function usageFreshness(db: PrismaClient): Promise<{ refreshedAt: Date; coverageFrom: Date | null } | null> {
  const s = await readState(db);
  return s.refreshedAt ? { refreshedAt: new Date(s.refreshedAt), coverageFrom: s.coverageFrom ? new Date(s.coverageFrom) : null } : null;
}

/** Per key and OAuth client from usage_days of the days in $1 (a SELECT for an INSERT). */
const PER_SUBJECT = `
  SELECT 'key' AS kind, c.key_hash AS subject_id, max(d.last_at) AS last_used_at, sum(d.requests) AS requests, sum(d.errors) AS errors,
         array_agg(DISTINCT d.api_id) AS api_ids
    FROM usage_days d JOIN request_callers c ON c.id = d.caller_id
   WHERE d.day = ANY($1::date[]) AND c.key_hash IS NOT NULL
   GROUP BY c.key_hash
  UNION ALL
  SELECT 'oauth_client', c.oauth_client_id, max(d.last_at), sum(d.requests), sum(d.errors), array_agg(DISTINCT d.api_id)
    FROM usage_days d JOIN request_callers c ON c.id = d.caller_id
   WHERE d.day = ANY($1::date[]) AND c.oauth_client_id IS NOT NULL AND c.oauth_client_id <> ''
   GROUP BY c.oauth_client_id`;

const SUMMARY_COLUMNS = "(kind, subject_id, last_used_at, requests, errors, api_ids)";

/**
 * Rolls the window's unfinished days up again and rebuilds the summaries. Idempotent; each day is
 * replaced in its own transaction, so an interrupted refresh leaves whole days behind.
 */
export async function refreshUsage(db: PrismaClient, opts: { windowDays: number; now?: Date }): Promise<UsageRefresh> {
  const now = opts.now ?? new Date();
  const state = await readState(db);
  const days = windowDays(now, opts.windowDays);
  const c = await poolOf(db).connect();
  try {
    const watermarkTs = (await c.query<{ ts: string | null }>("SELECT value->>'ts' AS ts FROM sync_state WHERE name = $1", [ANALYTICS_SYNC_STATE])).rows[0]?.ts;
    const watermark = watermarkTs ? new Date(watermarkTs) : null;
    const loading = new Set(await loadingDays(c));
    const final = new Set(state.final.filter((d) => d >= days[0]));
    let computed = 0;
    for (const day of days) {
      if (final.has(day)) continue;
      await inTransaction(c, async () => {
        await c.query("DELETE FROM usage_days WHERE day = $1::date", [day]);
        await c.query(
          `INSERT INTO usage_days (day, caller_id, api_id, requests, errors, last_at)
           SELECT $1::date, caller_id, api_id, count(*), count(*) FILTER (WHERE status >= 400), max(ts)
             FROM request_records WHERE ts >= $1::date AND ts < $1::date + 1
            GROUP BY caller_id, api_id`,
          [day],
        );
      });
      computed++;
      if (isFinalDay(day, watermark, loading)) final.add(day);
    }
    await c.query("DELETE FROM usage_days WHERE day < $1::date", [days[0]]);
    const finalDays = days.filter((d) => final.has(d));
    // The final days' sums change only when the window moves or another day becomes final.
    const finalKey = finalDays.join(",");
    if (finalKey !== state.finalKey) {
      await inTransaction(c, async () => {
        await c.query("DELETE FROM usage_final_summaries");
        await c.query(`INSERT INTO usage_final_summaries ${SUMMARY_COLUMNS} ${PER_SUBJECT}`, [finalDays]);
      });
    }
    const summaries = await inTransaction(c, async () => {
      await c.query("DELETE FROM usage_summaries");
      const r = await c.query(
        `INSERT INTO usage_summaries ${SUMMARY_COLUMNS}
         WITH parts AS (SELECT kind, subject_id, last_used_at, requests, errors, api_ids FROM usage_final_summaries UNION ALL ${PER_SUBJECT}),
              sums AS (SELECT kind, subject_id, max(last_used_at) AS last_used_at, sum(requests) AS requests, sum(errors) AS errors FROM parts GROUP BY 1, 2),
              apis AS (SELECT kind, subject_id, array_agg(DISTINCT a) AS api_ids FROM parts, unnest(api_ids) AS a GROUP BY 1, 2)
         SELECT s.kind, s.subject_id, s.last_used_at, s.requests, s.errors, coalesce(a.api_ids, '{}')
           FROM sums s LEFT JOIN apis a USING (kind, subject_id)`,
        [days.filter((d) => !final.has(d))],
      );
      return r.rowCount ?? 0;
    });
    const first = (await c.query<{ day: string | null }>("SELECT min(day)::text AS day FROM usage_days")).rows[0]?.day ?? null;
    const coverageFrom = first ? new Date(`${first}T00:00:00Z`) : null;
    const next: UsageState = { final: [...final].sort(), finalKey, refreshedAt: now.toISOString(), coverageFrom: coverageFrom?.toISOString() ?? null };
    await c.query(
      `INSERT INTO sync_state (name, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [USAGE_STATE, JSON.stringify(next)],
    );
    return { daysComputed: computed, summaries, coverageFrom, refreshedAt: now };
  } finally {
    c.release();
  }
}
