import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TykClient } from "@/lib/tyk/client";
import { getKeyActivity, type KeyActivityHour } from "@/lib/tyk/get-key-activity";
import { readState, runOptionsOf, withSyncRun, writeState, type SyncResult, type SyncRunOptions } from "@/lib/sync/sync-run";

const HOUR = 3_600_000;

/** sync_state[`activity:<keyHash>`]: the hour the next pass starts from (ISO). */
export interface KeyActivityState {
  since: string;
}
export const activityStateName = (keyHash: string) => `activity:${keyHash}`;

export interface SyncKeyActivityOptions extends SyncRunOptions {
  db: PrismaClient;
  client: TykClient;
  now?: () => Date;
  /** How far back a key's first pass reads. Default 24 h. */
  firstLookbackMs?: number;
  /** An idle key's watermark never moves; its window is capped at this. Default 7 days. */
  maxLookbackMs?: number;
  /** Keys fetched at once. Default 4. */
  concurrency?: number;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function storeHours(db: PrismaClient, keyHash: string, hours: KeyActivityHour[]): Promise<void> {
  if (!hours.length) return;
  await db.$transaction(hours.map((h) => {
    const data = { hits: h.hits, success: h.success, errors: h.errors, avgRequestMs: h.avgRequestMs };
    return db.keyActivity.upsert({ where: { keyHash_hour: { keyHash, hour: h.hour } }, create: { keyHash, hour: h.hour, ...data }, update: data });
  }));
}

/**
 * The per-key analytics fallback for installs without a Tyk Pump database: for every live key, the
 * Dashboard's hourly activity since that key's watermark, upserted into key_activity. One recorded
 * SyncRun of kind "analytics"; a key that fails is a fault (run "partial"), the others carry on.
 */
export function syncKeyActivity(opts: SyncKeyActivityOptions): Promise<SyncResult> {
  const { db, client } = opts;
  const now = opts.now ?? (() => new Date());
  const lookback = opts.firstLookbackMs ?? 24 * HOUR;
  const maxLookback = opts.maxLookbackMs ?? 7 * 24 * HOUR;
  return withSyncRun(db, "analytics", opts.trigger, async (ctx) => {
    const keys = await db.key.findMany({ where: { deletedAt: null }, select: { keyHash: true }, orderBy: { keyHash: "asc" } });
    let done = 0;
    await eachLimited(keys, opts.concurrency ?? 4, async ({ keyHash }) => {
      if (opts.signal?.aborted) return;
      try {
        const state = await readState<KeyActivityState>(db, activityStateName(keyHash));
        const to = now();
        const floor = Math.floor((to.getTime() - (state ? maxLookback : lookback)) / HOUR) * HOUR;
        const from = new Date(Math.max(state ? Date.parse(state.since) : floor, floor));
        const hours = await getKeyActivity(client, keyHash, { from, to: new Date(to.getTime() + 1), signal: opts.signal });
        await storeHours(db, keyHash, hours);
        // Restart from the newest hour seen, not from our clock: that hour may still be filling, the
        // Dashboard's aggregates lag the gateway, and its clock may differ from ours. An idle key
        // keeps its watermark (its next window is just a little wider).
        const newest = hours.at(-1)?.hour;
        if (newest && newest.getTime() > from.getTime()) await writeState(db, activityStateName(keyHash), { since: newest.toISOString() });
        else if (!state) await writeState(db, activityStateName(keyHash), { since: from.toISOString() });
        ctx.count("keys");
        ctx.count("hours", hours.length);
        ctx.count("hits", hours.reduce((a, h) => a + h.hits, 0));
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        ctx.fault(`activity:${keyHash.slice(0, 8)}…`, err);
      }
      done++;
      if (done % 25 === 0 || done === keys.length) await ctx.progress("keys", done, keys.length);
    });
    opts.signal?.throwIfAborted();
  }, runOptionsOf(opts));
}
