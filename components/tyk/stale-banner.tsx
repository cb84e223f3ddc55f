import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { formatRelative, formatUtc } from "@/lib/format";
import { getTykFreshness } from "@/lib/queries/sync-status";

/**
 * Server component: warns when the Tyk data may be stale (last sync failed, or no good sync in
 * 3 × the interval). Renders nothing when Tyk is not configured or the data is fresh.
 */
export async function StaleBanner() {
  const config = env();
  if (!config.TYK_DASHBOARD_URL) return null;
  const f = await getTykFreshness(db, config.TYK_SYNC_INTERVAL_SECONDS);
  if (!f.stale) return null;
  return (
    <div role="status" data-testid="stale-banner" className="mb-5 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <strong className="font-semibold">Data may be stale</strong> —{" "}
      {f.lastGoodAt ? (
        <>last good sync at <time dateTime={f.lastGoodAt.toISOString()}>{formatUtc(f.lastGoodAt)}</time> ({formatRelative(f.lastGoodAt)})</>
      ) : (
        "no successful Tyk sync yet"
      )}
      {f.reason ? <>: {f.reason}.</> : "."}
    </div>
  );
}
