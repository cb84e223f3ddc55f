// One way to write a time across the console: "2026-12-07 09:21 UTC", or the same in the reader's
// zone ("2026-12-07 10:21 GMT+1") when they chose it. Pure (Intl only), shared by server pages and
// client islands; the choice itself lives in components/ui/time.tsx.

export const UTC = "UTC";

function parts(ms: number, timeZone: string): Record<string, string> {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short",
  });
  return Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

const toMs = (d: Date | string | number) => (d instanceof Date ? d.getTime() : typeof d === "number" ? d : Date.parse(d));

/** "2026-12-07 09:21 UTC" in `timeZone` (an IANA name); "—" for nothing or an invalid time. */
export function formatTime(d: Date | string | number | null | undefined, timeZone = UTC): string {
  if (d === null || d === undefined) return "—";
  const ms = toMs(d);
  if (!Number.isFinite(ms)) return "—";
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** "09:21": a chart tick or a time within a day already named. */
export function formatClock(ms: number, timeZone = UTC): string {
  const p = parts(ms, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** The zone's short name at that moment ("UTC", "GMT+1", "CET"). */
export function zoneName(timeZone: string, at = Date.now()): string {
  return parts(at, timeZone).timeZoneName ?? timeZone;
}

/** Minutes to add to UTC to get the wall clock of `timeZone` at `ms`. */
function offsetMinutes(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** `<input type="datetime-local">` value of `ms` as the wall clock of `timeZone`. */
export function toInputValue(ms: number, timeZone = UTC): string {
  return new Date(ms + offsetMinutes(ms, timeZone) * 60_000).toISOString().slice(0, 16);
}

/** Reads a datetime-local value as the wall clock of `timeZone`; null when empty or invalid. */
export function fromInputValue(value: string, timeZone = UTC): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const wall = Date.parse(`${value}:00Z`);
  if (Number.isNaN(wall)) return null;
  // Two passes settle the offset across a DST change.
  let ms = wall - offsetMinutes(wall, timeZone) * 60_000;
  ms = wall - offsetMinutes(ms, timeZone) * 60_000;
  return ms;
}

const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A time from a link (?from=&to=). Browsers disagree on zone-less ISO times (local in some, UTC in
 * others), so one without a zone is read as UTC everywhere and flagged, for the page to say so.
 */
export function parseLinkTime(s: string | null | undefined): { ms: number; zoneless: boolean } | null {
  if (!s) return null;
  const zoneless = ZONELESS.test(s);
  if (!zoneless && !ZONED.test(s)) return null;
  const ms = Date.parse(zoneless ? `${s}Z` : s);
  return Number.isFinite(ms) ? { ms, zoneless } : null;
}
