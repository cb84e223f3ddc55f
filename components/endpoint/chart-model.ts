// Pure layout of the latency chart's change markers: which row of flags each one takes so that
// neighbours' labels do not overlap, and what each flag says.
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";

/** Rows of flags above the plot; a marker closer than a label's width to the previous one on a row moves up. */
export const MARKER_ROWS = 3;
const LABEL_PX = 120;

/**
 * Flag row (0 = lowest) per marker id for markers within `visible`, given the plot's width in
 * pixels. When every row is taken near a marker it goes to the row whose last flag is farthest.
 */
export function markerRows(markers: Pick<ChangeMarker, "id" | "at">[], visible: { from: number; to: number }, widthPx: number): Map<string, number> {
  const span = Math.max(1, visible.to - visible.from);
  const minGap = (LABEL_PX / Math.max(1, widthPx)) * span;
  const lastAt: number[] = Array(MARKER_ROWS).fill(Number.NEGATIVE_INFINITY);
  const out = new Map<string, number>();
  for (const m of [...markers].filter((m) => m.at >= visible.from && m.at <= visible.to).sort((a, b) => a.at - b.at)) {
    let row = lastAt.findIndex((t) => m.at - t >= minGap);
    if (row < 0) row = lastAt.indexOf(Math.min(...lastAt));
    lastAt[row] = m.at;
    out.set(m.id, row);
  }
  return out;
}

const MAX_CHARS = 20;
const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** What a flag reads: the changed thing's name and what was done ("partner-gold · updated"). */
export function markerText(m: Pick<ChangeMarker, "kind" | "action" | "label">): string {
  if (m.kind === "deploy") return short(`deploy ${m.label}`, MAX_CHARS);
  const verb: Record<string, string> = { create: "new", delete: "deleted", revoke: "revoked", rotate: "rotated", update: "" };
  const v = verb[m.action] ?? m.action;
  // The action survives shortening: two changes to one key differ only by it.
  return v ? `${short(m.label, MAX_CHARS - v.length - 3)} · ${v}` : short(m.label, MAX_CHARS);
}

/** A row per minute with the p99 of the same minute a week earlier (null where that week has none). */
export function withWeekAgo<R extends { ts: number }>(rows: R[], weekAgo: { ts: number; p99: number | null }[]): (R & { p99WeekAgo: number | null })[] {
  const byTs = new Map(weekAgo.map((p) => [p.ts + WEEK, p.p99]));
  return rows.map((r) => ({ ...r, p99WeekAgo: byTs.get(r.ts) ?? null }));
}

export const WEEK = 7 * 24 * 60 * 60_000;
