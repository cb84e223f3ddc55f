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

/** One value as short text: null/undefined → "—", strings bare, everything else compact JSON. */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v === "" ? '""' : v;
  const text = JSON.stringify(v);
  return text.length > MAX_LEN ? `${text.slice(0, MAX_LEN - 1)}…` : text;
}

export function toDiffRows(entries: unknown): DiffRow[] {
  if (!Array.isArray(entries)) return [];
  const rows = (entries as DiffEntryLike[])
    .filter((e) => e && typeof e.path === "string")
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
  const rows = toDiffRows(entries);
  if (!rows.length) return null;
  // In a one-line summary an added or removed object (a whole access_rights entry) reads better
  // as a verb than as JSON; the full values stay in the diff table.
  const short = (v: string) => (v.length > 40 ? `${v.slice(0, 39)}…` : v);
  const shown = rows.slice(0, max).map((r) =>
    r.kind === "added" ? `${r.path} added` : r.kind === "removed" ? `${r.path} removed` : `${r.path} ${short(r.before)} → ${short(r.after)}`,
  );
  return rows.length > max ? `${shown.join("; ")} (+${rows.length - max} more)` : shown.join("; ");
}
