import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { formatRelative, formatUtc } from "@/lib/format";
import { getFreshness } from "@/lib/queries/sync-status";
import { tykClientFor, traceSourceFor } from "@/lib/sync/connectors";

const TEXT = {
  tyk: { title: "Data may be stale", sync: "Tyk sync", testId: "stale-banner" },
  traces: { title: "Latency data may be stale", sync: "trace sync", testId: "trace-stale-banner" },
} as const;

/**
 * Server component: warns when what one upstream syncs may be stale — Tyk's APIs, policies and keys,
 * or the trace backend's latency series and traces (last sync failed, or no good sync in 3 × the
 * interval). Renders nothing when that upstream is not configured or the data is fresh.
 */
export async function StaleBanner({ kind = "tyk" }: { kind?: "tyk" | "traces" }) {
  const configured = kind === "tyk" ? (await tykClientFor(db)) !== null : (await traceSourceFor(db)) !== null;
  if (!configured) return null;
  const f = await getFreshness(db, kind, env().TYK_SYNC_INTERVAL_SECONDS);
  if (!f.stale) return null;
  const text = TEXT[kind];
  return (
    <div role="status" data-testid={text.testId} className="mb-5 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <strong className="font-semibold">{text.title}</strong> —{" "}
      {f.lastGoodAt ? (
        <>last good {text.sync} at <time dateTime={f.lastGoodAt.toISOString()}>{formatUtc(f.lastGoodAt)}</time> ({formatRelative(f.lastGoodAt)})</>
      ) : (
        `no successful ${text.sync} yet`
      )}
      {f.reason ? <>: {f.reason}.</> : "."}
    </div>
  );
}
