// Traffic cells as columns: what the engine indexes, without an object per cell. A busy
// endpoint's analysis windows hold tens of thousands of (minute, caller) cells; as objects with two
// small arrays each they were most of what an investigation allocated, and living through it, most
// of what its garbage collections copied. A cell's caller tuple is stored once per caller.
import type { TrafficCell } from "./types";

/** Who a cell's requests came from: one (key, identity, OAuth client, policies) tuple. */
export interface CellCaller {
  /** The SQL layer's id of the tuple (request_callers), when it stores one. */
  callerId?: number;
  keyHash: string | null;
  identityId: string | null;
  oauthClientId: string | null;
  policyIds: string[];
}

/**
 * Cells in a fixed order (every consumer reads them in it, as it read the cell array): cell i is
 * `callers[caller[i]]`'s requests in the minute starting `minute[i]` (epoch ms), with its sparse
 * histogram in `bin`/`binCount` over [binStart[i], binStart[i + 1]), bins ascending.
 */
export interface CellTable {
  readonly length: number;
  readonly callers: readonly CellCaller[];
  readonly caller: Int32Array;
  readonly minute: Float64Array;
  /** Served requests (the histogram's total), their 5xx, and requests Tyk rejected. */
  readonly count: Float64Array;
  readonly errors: Float64Array;
  readonly rejected: Float64Array;
  readonly binStart: Int32Array;
  readonly bin: Int32Array;
  readonly binCount: Float64Array;
}

/** The cells as a table: one caller per distinct caller id, or per cell for cells without one. */
export function cellTableOf(cells: readonly TrafficCell[]): CellTable {
  const n = cells.length;
  let bins = 0;
  for (const c of cells) bins += c.bins.length;
  const t = {
    length: n, callers: [] as CellCaller[], caller: new Int32Array(n), minute: new Float64Array(n), count: new Float64Array(n), errors: new Float64Array(n),
    rejected: new Float64Array(n), binStart: new Int32Array(n + 1), bin: new Int32Array(bins), binCount: new Float64Array(bins),
  };
  const byId = new Map<number, number>();
  for (let i = 0, o = 0; i < n; i++) {
    const c = cells[i];
    let ci = c.callerId != null ? byId.get(c.callerId) : undefined;
    if (ci === undefined) {
      ci = t.callers.length;
      t.callers.push({ callerId: c.callerId, keyHash: c.keyHash, identityId: c.identityId, oauthClientId: c.oauthClientId, policyIds: c.policyIds });
      if (c.callerId != null) byId.set(c.callerId, ci);
    }
    t.caller[i] = ci;
    t.minute[i] = c.minute;
    t.count[i] = c.count;
    t.errors[i] = c.errors;
    t.rejected[i] = c.rejected ?? 0;
    t.binStart[i] = o;
    for (let j = 0; j < c.bins.length; j++, o++) { t.bin[o] = c.bins[j]; t.binCount[o] = c.binCounts[j]; }
    t.binStart[i + 1] = o;
  }
  return t;
}

/** The table's cells as objects (for code that wants them one by one: replays, tests). */
export function cellsOfTable(t: CellTable): TrafficCell[] {
  const out: TrafficCell[] = new Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const who = t.callers[t.caller[i]];
    const a = t.binStart[i], b = t.binStart[i + 1];
    out[i] = {
      minute: t.minute[i], ...(who.callerId != null ? { callerId: who.callerId } : {}), keyHash: who.keyHash, identityId: who.identityId,
      oauthClientId: who.oauthClientId, policyIds: who.policyIds, count: t.count[i], errors: t.errors[i], rejected: t.rejected[i],
      bins: Array.from(t.bin.subarray(a, b)), binCounts: Array.from(t.binCount.subarray(a, b)),
    };
  }
  return out;
}

/** The same cells with each caller replaced by `f(caller)` (the cells of a caller stay one caller's). */
export function withCallers(t: CellTable, f: (c: CellCaller) => CellCaller): CellTable {
  let changed = false;
  const callers = t.callers.map((c) => {
    const d = f(c);
    if (d !== c) changed = true;
    return d;
  });
  return changed ? { ...t, callers } : t;
}

/** Whether the cells come as a table rather than objects. */
export function isCellTable(cells: readonly TrafficCell[] | CellTable): cells is CellTable {
  return !Array.isArray(cells);
}

/** The cells as a table, made only when they come as objects. */
export function asCellTable(cells: readonly TrafficCell[] | CellTable): CellTable {
  return isCellTable(cells) ? cells : cellTableOf(cells);
}

/** The cells with each caller tuple replaced by `f(tuple)`, in whichever form they come. */
export function mapCallers(cells: TrafficCell[], f: <C extends CellCaller>(c: C) => C): TrafficCell[];
export function mapCallers(cells: CellTable, f: <C extends CellCaller>(c: C) => C): CellTable;
export function mapCallers(cells: TrafficCell[] | CellTable, f: <C extends CellCaller>(c: C) => C): TrafficCell[] | CellTable;
export function mapCallers(cells: TrafficCell[] | CellTable, f: <C extends CellCaller>(c: C) => C): TrafficCell[] | CellTable {
  return isCellTable(cells) ? withCallers(cells, f) : cells.map(f);
}
