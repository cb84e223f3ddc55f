/** Filters live in the URL so a filtered view can be shared and exported with the same query. */
export type Filters = Record<string, string>;

export function toQuery(filters: Filters, extra: Filters = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v.trim()) sp.set(k, v.trim());
  const s = sp.toString();
  return s ? `?${s}` : "";
}

/** datetime-local values are read as UTC (the console shows UTC everywhere). */
export function localInputToIso(value: string): string {
  if (!value) return "";
  const d = new Date(`${value}${value.length === 16 ? ":00" : ""}Z`);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}

export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 16);
}

export function pickFilters(sp: Record<string, string | string[] | undefined>, names: readonly string[]): Filters {
  const out: Filters = {};
  for (const n of names) {
    const v = sp[n];
    const s = Array.isArray(v) ? v[0] : v;
    if (s) out[n] = s;
  }
  return out;
}
