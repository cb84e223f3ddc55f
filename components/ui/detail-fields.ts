// Free-form details (an audit event's JSON) as label/value pairs a person can scan: nested objects
// flattened to dotted labels, lists of plain values joined, diff entries as "before → after".
import { renderValue } from "@/components/tyk/diff-model";
import { formatTime } from "@/lib/time-format";

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** A value as text; an ISO time in the console's one format ("2027-01-06 13:10 UTC"). */
const valueText = (v: unknown) => (typeof v === "string" && ISO_TIME.test(v) ? formatTime(v) : renderValue(v));

export interface DetailField {
  label: string;
  value: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isDiffEntry = (v: unknown): v is { path: string; before: unknown; after: unknown } => isRecord(v) && typeof v.path === "string" && ("before" in v || "after" in v);
const words = (k: string) => k.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`).replaceAll("_", " ");

/** At most `max` fields; a last "…" field says how many more there were. */
export function detailFields(details: unknown, max = 12): DetailField[] {
  const out: DetailField[] = [];
  const walk = (label: string, v: unknown, depth: number) => {
    if (Array.isArray(v) && v.length && v.every(isDiffEntry)) {
      for (const d of v) out.push({ label: label ? `${label}: ${d.path || "(whole)"}` : d.path, value: `${valueText(d.before)} → ${valueText(d.after)}` });
    } else if (depth < 3 && (isRecord(v) || (Array.isArray(v) && v.some((x) => typeof x === "object" && x !== null)))) {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i + 1), x] as const) : Object.entries(v);
      for (const [k, x] of entries) walk(label ? `${label} · ${words(k)}` : words(k), x, depth + 1);
    } else out.push({ label: label || "value", value: valueText(v) });
  };
  if (details === null || details === undefined || (isRecord(details) && !Object.keys(details).length)) return [];
  walk("", details, 0);
  return out.length > max ? [...out.slice(0, max), { label: "…", value: `${out.length - max} more` }] : out;
}
