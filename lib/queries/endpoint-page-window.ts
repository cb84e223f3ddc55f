// Pure time arithmetic of the endpoint page, shared by its server loader and its client island:
// which range the chart shows around the analysed window, and minute grid ↔ brush index.
import type { LatencyPoint } from "@/lib/analysis";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Range {
  from: number;
  to: number;
}

export const floorMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
export const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE) * MINUTE;

/** The longest range the series API answers (lib/investigation/params MAX_WINDOW_MS). */
export const MAX_RANGE = 7 * DAY;

/**
 * The range the chart shows: the last 24 h of data when the window lies inside it (the usual case:
 * a responder looking at today's spike), else the window padded by its own length (at least 2 h)
 * on each side, so an old shared link still shows what came before and after — never more than
 * the series API's 7 days in all.
 */
export function contextRange(window: Range, latestDataAt: number | null): Range {
  const end = latestDataAt != null ? floorMinute(latestDataAt) + MINUTE : ceilMinute(window.to);
  const recent = { from: end - DAY, to: end };
  if (window.from >= recent.from && window.to <= recent.to) return recent;
  const from = floorMinute(window.from), to = ceilMinute(window.to);
  const pad = Math.max(0, Math.min(Math.max(2 * HOUR, to - from), floorMinute((MAX_RANGE - (to - from)) / 2)));
  return { from: from - pad, to: to + pad };
}

/** Minutes per chart row: one minute up to ~2,000 rows, then the first round step that keeps it there (a 7-day range: 10 min). */
export function rowStep(range: Range): number {
  const minutes = (range.to - range.from) / MINUTE;
  const step = [1, 2, 5, 10, 15, 30, 60].find((s) => minutes / s <= 2000) ?? 60;
  return step * MINUTE;
}

/** One chart row per minute of the range; minutes without data keep nulls so gaps stay gaps. */
export interface ChartRow {
  ts: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  count: number | null;
}

/**
 * One chart row per `step` of the range; rows without data keep nulls so gaps stay gaps. A row of
 * several minutes shows their worst percentiles (a spike stays visible) and their mean requests
 * per minute (the right axis' unit).
 */
export function chartRows(points: LatencyPoint[], range: Range, step = MINUTE): ChartRow[] {
  const start = floorMinute(range.from);
  const rows: ChartRow[] = [];
  for (let ts = start; ts < range.to; ts += step) rows.push({ ts, p50: null, p95: null, p99: null, count: null });
  const max = (a: number | null, b: number | null) => (b == null ? a : a == null ? b : Math.max(a, b));
  for (const p of points) {
    const r = rows[Math.floor((floorMinute(p.ts) - start) / step)];
    if (!r || p.ts < start) continue;
    r.p50 = max(r.p50, p.p50);
    r.p95 = max(r.p95, p.p95);
    r.p99 = max(r.p99, p.p99);
    r.count = (r.count ?? 0) + p.count / (step / MINUTE);
  }
  return rows;
}

/** Brush indices (inclusive) covering a window on a grid of `step` starting at `gridFrom`. */
export function indicesOf(window: Range, gridFrom: number, length: number, step = MINUTE): { startIndex: number; endIndex: number } {
  if (length === 0) return { startIndex: 0, endIndex: 0 };
  const clamp = (i: number) => Math.min(length - 1, Math.max(0, i));
  const startIndex = clamp(Math.floor((window.from - gridFrom) / step));
  const endIndex = clamp(Math.ceil((window.to - gridFrom) / step) - 1);
  return { startIndex, endIndex: Math.max(startIndex, endIndex) };
}

/** The window a brush selection stands for: from its first row to the end of its last. */
export function windowOf(startIndex: number, endIndex: number, gridFrom: number, step = MINUTE): Range {
  const [a, b] = startIndex <= endIndex ? [startIndex, endIndex] : [endIndex, startIndex];
  return { from: gridFrom + a * step, to: gridFrom + (b + 1) * step };
}

/** `?from=&to=` for a window (ISO, UTC) — the form the investigation API and the page URL accept. */
export function windowSearch(window: Range | null, base?: URLSearchParams): string {
  const q = new URLSearchParams(base);
  q.delete("from");
  q.delete("to");
  if (window) {
    q.set("from", new Date(window.from).toISOString());
    q.set("to", new Date(window.to).toISOString());
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** `<input type="datetime-local">` value in UTC (the page shows every time in UTC). */
export function toUtcInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** Reads a datetime-local value as UTC; null when empty or invalid. */
export function fromUtcInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}:00Z`);
  return Number.isNaN(ms) ? null : ms;
}
