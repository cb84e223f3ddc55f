// Pure: decides whether the data on screen from one upstream (Tyk, the trace backend) may be stale.
// No I/O, so the banner's logic is testable.

export interface RunLike {
  status: string; // running | succeeded | partial | failed
  startedAt: Date;
  finishedAt: Date | null;
  errors: unknown;
}

export interface Freshness {
  stale: boolean;
  /** When the newest run that finished without failing ended; null when there never was one. */
  lastGoodAt: Date | null;
  /** Why the data may be stale, for people; null when fresh. */
  reason: string | null;
}

function firstError(errors: unknown): string | null {
  if (!Array.isArray(errors) || errors.length === 0) return null;
  const e = errors[0] as { step?: unknown; message?: unknown };
  const msg = typeof e?.message === "string" ? e.message : JSON.stringify(e);
  return typeof e?.step === "string" ? `${e.step}: ${msg}` : msg;
}

/**
 * `runs` newest first; `upstream` names the source for people. Stale when the newest finished run
 * failed, or when the last good run is older than three sync intervals (one slow or skipped pass is
 * normal; three is not).
 * A "partial" run counts as good: the entities it did fetch are current.
 */
export function assessFreshness(runs: RunLike[], intervalSeconds: number, now: Date, upstream = "Tyk"): Freshness {
  const finished = runs.filter((r) => r.status !== "running");
  const good = finished.find((r) => r.status === "succeeded" || r.status === "partial");
  const lastGoodAt = good ? (good.finishedAt ?? good.startedAt) : null;
  const latest = finished[0];
  if (!latest) {
    return runs.length ? { stale: false, lastGoodAt: null, reason: null } : { stale: true, lastGoodAt: null, reason: `${upstream} has never been synced` };
  }
  if (latest.status === "failed") {
    return { stale: true, lastGoodAt, reason: `the last sync failed${firstError(latest.errors) ? ` — ${firstError(latest.errors)}` : ""}` };
  }
  const maxAgeMs = 3 * intervalSeconds * 1000;
  if (!lastGoodAt || now.getTime() - lastGoodAt.getTime() > maxAgeMs) {
    return { stale: true, lastGoodAt, reason: `no successful sync in the last ${Math.round((3 * intervalSeconds) / 60) || 1} min (3 × the ${intervalSeconds} s interval)` };
  }
  return { stale: false, lastGoodAt, reason: null };
}
