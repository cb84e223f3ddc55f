import { z } from "zod";
import type { TykClient } from "./client";
import { collectPages } from "./paginate";

// `GET /api/activity/keys/{keyHash}/{startDay}/{startMonth}/{startYear}/{EndDay}/{EndMonth}/{EndYear}`
// (tyk-docs swagger/dashboard-swagger.yml: AggregateAnalyticsData {data: ResultUnit[], pages}). The
// generated SDK marks every ResultUnit field omitempty, so all are optional here. The spec does not
// document `res`; the Dashboard's own key view sends `res=hour|day` and gets the bucket in `id`.
const count = z.number().nonnegative().nullish().transform((v) => Math.round(v ?? 0));
export const resultUnitSchema = z.looseObject({
  hits: count,
  success: count,
  error: count,
  request_time: z.number().nullish(),
  last_hit: z.string().nullish(),
  id: z.looseObject({
    year: z.number().int().nullish(),
    month: z.number().int().nullish(),
    day: z.number().int().nullish(),
    hour: z.number().int().nullish(),
  }).nullish(),
});
export const aggregateAnalyticsSchema = z.looseObject({
  // An empty result is `data: null` from Go's encoder.
  data: z.array(resultUnitSchema).nullable().transform((v) => v ?? []),
  pages: z.number().int().nullish(),
});
export type TykResultUnit = z.infer<typeof resultUnitSchema>;

export interface KeyActivityHour {
  /** Start of the hour, UTC. */
  hour: Date;
  hits: number;
  success: number;
  /** Responses with code >= 400 (Tyk's count). */
  errors: number;
  /** Average total request time in ms, or null without hits. */
  avgRequestMs: number | null;
  lastHit: Date | null;
}

/** One ResultUnit → an hourly bucket; null when `id` carries no date (a Dashboard that grouped by something else). */
export function toActivityHour(u: TykResultUnit): KeyActivityHour | null {
  const { year, month, day, hour } = u.id ?? {};
  if (!year || !month || !day) return null;
  const h = hour ?? 0;
  if (month > 12 || day > 31 || h < 0 || h > 23) return null;
  const lastHit = u.last_hit ? new Date(u.last_hit) : null;
  return {
    hour: new Date(Date.UTC(year, month - 1, day, h)),
    hits: u.hits,
    success: u.success,
    errors: u.error,
    avgRequestMs: u.hits > 0 && u.request_time != null ? u.request_time : null,
    lastHit: lastHit && !Number.isNaN(lastHit.getTime()) ? lastHit : null,
  };
}

const datePath = (d: Date) => `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;

/**
 * A key's traffic per hour between `from` and `to` (whole UTC days are asked for, then cut to the
 * hours that overlap [from, to)), oldest first. Errors propagate as the client's typed TykErrors.
 */
export async function getKeyActivity(
  client: TykClient, keyHash: string, range: { from: Date; to: Date; signal?: AbortSignal },
): Promise<KeyActivityHour[]> {
  const path = `/api/activity/keys/${encodeURIComponent(keyHash)}/${datePath(range.from)}/${datePath(range.to)}`;
  const units = await collectPages(
    async (p) => {
      const res = await client.request({ path, query: { res: "hour", p }, schema: aggregateAnalyticsSchema, signal: range.signal });
      return { items: res.data, pages: res.pages };
    },
    // Buckets are unique per hour: a re-walk after the page count changed must not double them.
    { idOf: (u) => `${u.id?.year}-${u.id?.month}-${u.id?.day}-${u.id?.hour}`, signal: range.signal },
  );
  const lo = Math.floor(range.from.getTime() / 3_600_000) * 3_600_000;
  const hi = range.to.getTime();
  return units
    .map(toActivityHour)
    .filter((h): h is KeyActivityHour => h !== null && h.hour.getTime() >= lo && h.hour.getTime() < hi)
    .sort((a, b) => a.hour.getTime() - b.hour.getTime());
}
