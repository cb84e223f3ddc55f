/** Display helpers shared by server pages and client islands (no I/O). */

export function formatUtc(d: Date | string | number | null | undefined): string {
  if (d === null || d === undefined) return "—";
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatRelative(d: Date | string | number | null | undefined, now = Date.now()): string {
  if (d === null || d === undefined) return "never";
  const ms = now - new Date(d).getTime();
  const abs = Math.abs(ms);
  const suffix = ms >= 0 ? "ago" : "from now";
  if (abs < 60_000) return ms >= 0 ? "just now" : "in under a minute";
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)} min ${suffix}`;
  if (abs < 86_400_000) return `${Math.round(abs / 3_600_000)} h ${suffix}`;
  return `${Math.round(abs / 86_400_000)} d ${suffix}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 2)} s`;
  return `${Math.round(ms)} ms`;
}

/** Durations as people read them: "42 s", "10 min", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
}

export function formatPercent(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const text = (x * 100).toFixed(digits);
  // A tiny negative rounds to "-0": say 0.
  return `${/^-0(\.0+)?$/.test(text) ? text.slice(1) : text}%`;
}

export function formatCount(n: number | bigint | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return Number(n).toLocaleString("en-US");
}

/** Masks a key for display: only its last four characters are ever shown. */
export function maskKey(last4: string | null | undefined): string {
  return last4 ? `••••${last4}` : "••••";
}
