// Pure: turns stored diffs ([{path, before, after}]) into rows a person can scan. No React here,
// so the rules (ordering, value rendering, change kind) are unit-tested.

export interface DiffEntryLike {
  path: string;
  before: unknown;
  after: unknown;
}

export interface DiffRow {
  path: string;
  kind: "changed" | "added" | "removed";
  before: string;
  after: string;
  /** A field that changes who may call what, how often: shown first and emphasised. */
  important: boolean;
}

// Fields that decide access and limits: a reader looking for "what changed the traffic" wants these first.
const IMPORTANT = ["rate", "per", "quota_max", "quota_renewal_rate", "throttle_interval", "throttle_retry_limit", "max_query_depth",
  "access_rights", "active", "is_inactive", "expires", "deleted", "apply_policies", "proxy.target_url", "proxy.listen_path"];

function isImportant(path: string): boolean {
  return IMPORTANT.some((f) => path === f || path.startsWith(`${f}.`) || path.endsWith(`.${f}`));
}

const MAX_LEN = 160;

/**
 * One value as short text: null/undefined → "—", strings bare, a list of plain values as "a, b";
 * only what toDiffRows could not break into fields (too deep) falls back to compact JSON.
 */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v === "" ? '""' : v;
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== "object")) return v.length ? clip(v.map((x) => renderValue(x)).join(", ")) : "(empty list)";
  if (isRecord(v) && !Object.keys(v).length) return "(empty)";
  return clip(JSON.stringify(v));
}

const clip = (text: string) => (text.length > MAX_LEN ? `${text.slice(0, MAX_LEN - 1)}…` : text);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const hasFields = (v: unknown) => isRecord(v) || (Array.isArray(v) && v.some((x) => typeof x === "object" && x !== null));
const fields = (v: unknown): Record<string, unknown> => (Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : isRecord(v) ? v : {});
const MAX_DEPTH = 4;

/** An entry whose values are objects (a whole access_rights entry) as one entry per changed field. */
function leaves(e: DiffEntryLike, depth: number, out: DiffEntryLike[]): void {
  if (depth >= MAX_DEPTH || !(hasFields(e.before) || hasFields(e.after))) {
    out.push(e);
    return;
  }
  const b = fields(e.before), a = fields(e.after);
  const before = out.length;
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (JSON.stringify(b[k]) === JSON.stringify(a[k])) continue;
    leaves({ path: e.path ? `${e.path}.${k}` : k, before: b[k], after: a[k] }, depth + 1, out);
  }
  if (out.length === before) out.push(e); // e.g. {} → null: nothing inside differs, the container itself did
}

/** Diff entries as table rows, one per changed field (`flatten: false` keeps objects whole, for one-line summaries). */
export function toDiffRows(entries: unknown, { flatten = true }: { flatten?: boolean } = {}): DiffRow[] {
  if (!Array.isArray(entries)) return [];
  const valid = (entries as DiffEntryLike[]).filter((e) => e && typeof e.path === "string");
  const flat: DiffEntryLike[] = [];
  for (const e of valid) {
    if (flatten) leaves(e, 0, flat);
    else flat.push(e);
  }
  const rows = flat
    .map((e): DiffRow => {
      const noBefore = e.before === null || e.before === undefined;
      const noAfter = e.after === null || e.after === undefined;
      return {
        path: e.path || "(whole object)",
        kind: noBefore && !noAfter ? "added" : noAfter && !noBefore ? "removed" : "changed",
        before: renderValue(e.before),
        after: renderValue(e.after),
        important: isImportant(e.path),
      };
    });
  // Stable: important first, then by path.
  return rows.sort((a, b) => Number(b.important) - Number(a.important) || a.path.localeCompare(b.path));
}

/** "rate 100 → 2000" style one-liners for the most important rows, for summaries in lists. */
export function summarizeDiff(entries: unknown, max = 2): string | null {
  const rows = toDiffRows(entries, { flatten: false });
  if (!rows.length) return null;
  // In a one-line summary an added or removed object (a whole access_rights entry) reads better
  // as a verb than as JSON; the full values stay in the diff table.
  const short = (v: string) => (v.length > 40 ? `${v.slice(0, 39)}…` : v);
  const shown = rows.slice(0, max).map((r) =>
    r.kind === "added" ? `${r.path} added` : r.kind === "removed" ? `${r.path} removed` : `${r.path} ${short(r.before)} → ${short(r.after)}`,
  );
  return rows.length > max ? `${shown.join("; ")} (+${rows.length - max} more)` : shown.join("; ");
}
