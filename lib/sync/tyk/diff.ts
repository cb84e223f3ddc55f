// Field-level diff between two JSON snapshots. Objects are walked key by key (sorted, so the
// output is stable); arrays and scalars are compared whole — a tag list that gained one tag is
// one entry with the old and new list, which reads better than index-by-index noise.

export interface DiffEntry {
  path: string;
  before: unknown;
  after: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** `[{path, before, after}]` for every leaf that differs; a missing side is `null`. Paths join with ".". */
export function diffSnapshots(before: unknown, after: unknown, prefix = ""): DiffEntry[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const b = before[k];
      const a = after[k];
      if (b === undefined && a === undefined) return [];
      return diffSnapshots(b ?? null, a ?? null, prefix ? `${prefix}.${k}` : k);
    });
  }
  if (deepEqual(before, after)) return [];
  return [{ path: prefix, before: before ?? null, after: after ?? null }];
}
