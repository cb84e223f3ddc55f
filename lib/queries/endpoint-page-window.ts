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

/**
 * The range the chart shows: the last 24 h of data when the window lies inside it (the usual case:
 * a responder looking at today's spike), else the window padded by its own length (at least 2 h)
 * on each side, so an old shared link still shows what came before and after.
 */
export function contextRange(window: Range, latestDataAt: number | null): Range {
  const end = latestDataAt != null ? floorMinute(latestDataAt) + MINUTE : ceilMinute(window.to);
  const recent = { from: end - DAY, to: end };
  if (window.from >= recent.from && window.to <= recent.to) return recent;
  const pad = Math.max(2 * HOUR, window.to - window.from);
  return { from: floorMinute(window.from - pad), to: ceilMinute(window.to + pad) };
}

/** One chart row per minute of the range; minutes without data keep nulls so gaps stay gaps. */
export interface ChartRow {
  ts: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  count: number | null;
}

export function chartRows(points: LatencyPoint[], range: Range): ChartRow[] {
  const byMinute = new Map(points.map((p) => [floorMinute(p.ts), p]));
  const rows: ChartRow[] = [];
  for (let ts = floorMinute(range.from); ts < range.to; ts += MINUTE) {
    const p = byMinute.get(ts);
    rows.push({ ts, p50: p?.p50 ?? null, p95: p?.p95 ?? null, p99: p?.p99 ?? null, count: p ? p.count : null });
  }
  return rows;
}

/** Brush indices (inclusive) covering a window on a minute grid starting at `gridFrom`. */
export function indicesOf(window: Range, gridFrom: number, length: number): { startIndex: number; endIndex: number } {
  if (length === 0) return { startIndex: 0, endIndex: 0 };
  const clamp = (i: number) => Math.min(length - 1, Math.max(0, i));
  const startIndex = clamp(Math.floor((window.from - gridFrom) / MINUTE));
  const endIndex = clamp(Math.ceil((window.to - gridFrom) / MINUTE) - 1);
  return { startIndex, endIndex: Math.max(startIndex, endIndex) };
}

/** The window a brush selection stands for: from its first minute to the end of its last. */
export function windowOf(startIndex: number, endIndex: number, gridFrom: number): Range {
  const [a, b] = startIndex <= endIndex ? [startIndex, endIndex] : [endIndex, startIndex];
  return { from: gridFrom + a * MINUTE, to: gridFrom + (b + 1) * MINUTE };
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
