// Turns traffic cells into dense per-window histograms and per-group sparse entry lists, the form
// the bootstrap needs: every statistic is then a weighted sum over minutes, so resampling minutes
// (block bootstrap) is just a new weight vector.
import type { GroupKind, RequestSample, TimeWindow, TrafficCell } from "./types";
import { BIN_COUNT, histQuantile, latencyBin, sparseQuantile } from "./histogram";
import { isGatewayRejection } from "./rejections";
import { asCellTable, type CellTable } from "./cell-table";

const MIN = 60_000;
export const NO_KEY = "(no key)";

/** Aggregates a request sample into cells (what the SQL layer would GROUP BY). */
export function cellsFromRequests(requests: RequestSample[]): TrafficCell[] {
  const cells = new Map<string, { cell: TrafficCell; bins: Map<number, number> }>();
  for (const r of requests) {
    const minute = Math.floor(r.ts / MIN) * MIN;
    const policyIds = [...r.policyIds].sort();
    const id = `${minute}|${r.keyHash}|${r.identityId}|${r.oauthClientId}|${policyIds.join(",")}`;
    let c = cells.get(id);
    if (!c) {
      c = { cell: { minute, keyHash: r.keyHash, identityId: r.identityId, oauthClientId: r.oauthClientId, policyIds, count: 0, errors: 0, rejected: 0, bins: [], binCounts: [] }, bins: new Map() };
      cells.set(id, c);
    }
    const w = r.weight ?? 1;
    if (isGatewayRejection(r.status, r.upstreamMs ?? null)) {
      c.cell.rejected! += w;
      continue;
    }
    c.cell.count += w;
    if (r.status >= 500) c.cell.errors += w;
    const b = latencyBin(r.latencyMs);
    c.bins.set(b, (c.bins.get(b) ?? 0) + w);
  }
  return [...cells.values()].map(({ cell, bins }) => ({ ...cell, bins: [...bins.keys()], binCounts: [...bins.values()] }));
}

/** A window's non-empty (minute, bin) counts, minute-major: per-minute histograms are mostly empty bins. */
export interface MinuteHistograms {
  /** Minute m's bins (ascending) and counts are [start[m], start[m + 1]). */
  start: Int32Array;
  bin: Int32Array;
  cnt: Float64Array;
}

export interface WindowData {
  window: TimeWindow;
  nMin: number;
  minutes: MinuteHistograms;
  /** Served requests per minute. */
  minuteCount: Float64Array;
  hist: Float64Array;
  /** Served requests, their 5xx, and requests Tyk rejected. */
  total: number;
  errors: number;
  rejected: number;
}

/** Sparse (minute, bin, count) entries of one group's requests in one window. */
export interface Entries {
  min: Int32Array;
  bin: Int32Array;
  cnt: Float64Array;
}

export interface GroupData {
  /** "user_type": the keys of a user type's callers summed (type-candidates.ts); never in `groups`. */
  readonly kind: GroupKind | "user_type";
  readonly id: string;
  readonly I: Entries;
  readonly B: Entries;
  readonly countI: number;
  readonly countB: number;
  readonly errorsI: number;
  readonly errorsB: number;
  /** Requests Tyk rejected (429/403) in each window. */
  readonly rejectedI: number;
  readonly rejectedB: number;
  /** First minute of I with a served request. */
  readonly firstSeenI: number | null;
  /** Requests per minute of I and of B, built on first use (most groups never need them). */
  readonly perMinI: Float64Array;
  readonly perMinB: Float64Array;
  /** Rejected requests per minute of I and of B, built on first use. */
  readonly rejectedPerMinI: Float64Array;
  readonly rejectedPerMinB: Float64Array;
  /** Dense histograms of I and B, built from the entries on first use (most groups never need one). */
  readonly histI: Float64Array;
  readonly histB: Float64Array;
  /** Policies seen on this group's requests, distinct (keys only), for "keys under policy P". */
  readonly policyIds: readonly string[];
  /** OAuth clients seen on this group's requests, distinct (keys only). */
  readonly oauthClientIds: readonly string[];
  /** Keys whose requests are in this group (one for a key group). */
  readonly keys: ReadonlySet<string>;
}

/** A group the index builds: one caller (key, identity, policy or OAuth client). */
export type CallerGroup = GroupData & { readonly kind: GroupKind };

export interface IndexedTraffic {
  B: WindowData;
  I: WindowData;
  groups: CallerGroup[];
  byKind: Record<GroupKind, Map<string, CallerGroup>>;
  /** Keys whose requests carry an identity (they are counted in an identity group). */
  keysWithIdentity: ReadonlySet<string>;
}

const NO_MINUTES: MinuteHistograms = { start: new Int32Array(0), bin: new Int32Array(0), cnt: new Float64Array(0) };

function emptyWindow(window: TimeWindow): WindowData {
  const nMin = Math.max(1, Math.ceil((window.to - window.from) / MIN));
  return { window, nMin, minutes: NO_MINUTES, minuteCount: new Float64Array(nMin), hist: new Float64Array(BIN_COUNT), total: 0, errors: 0, rejected: 0 };
}

// Both windows' dense (minute, bin) grid while indexing, all zero between uses: the per-minute
// histograms are summed here in cell order, then kept sparse (allocating the dense grid per
// investigation was a large share of its garbage).
let grid = new Float64Array(0);

/** The non-empty bins of grid rows [first, first + nMin), then those rows cleared. */
function takeMinutes(first: number, nMin: number): MinuteHistograms {
  const from = first * BIN_COUNT, to = (first + nMin) * BIN_COUNT;
  let n = 0;
  for (let i = from; i < to; i++) if (grid[i] !== 0) n++;
  const start = new Int32Array(nMin + 1), bin = new Int32Array(n), cnt = new Float64Array(n);
  for (let m = 0, j = 0; m < nMin; m++) {
    start[m] = j;
    const off = from + m * BIN_COUNT;
    for (let b = 0; b < BIN_COUNT; b++) if (grid[off + b] !== 0) { bin[j] = b; cnt[j++] = grid[off + b]; }
    start[m + 1] = j;
  }
  grid.fill(0, from, to);
  return { start, bin, cnt };
}

const NO_ENTRIES: Entries = { min: new Int32Array(0), bin: new Int32Array(0), cnt: new Float64Array(0) };
const NONE: readonly string[] = [];

/** Sums entry counts per bin, in entry order (the order the cells arrived in). */
function histOf(e: Entries): Float64Array {
  const h = new Float64Array(BIN_COUNT);
  for (let i = 0; i < e.bin.length; i++) h[e.bin[i]] += e.cnt[i];
  return h;
}

/**
 * The index's storage, shared by its groups: every group's (minute, bin, count) entries, and its
 * (minute, count) per cell it is in, each group's in one range per window.
 */
interface Store {
  min: Int32Array;
  bin: Int32Array;
  cnt: Float64Array;
  cellMin: Int32Array;
  cellCount: Float64Array;
  cellRejected: Float64Array;
  nMinI: number;
  nMinB: number;
}

/**
 * Each group's numbers, one row per group: a busy endpoint's windows hold thousands of caller
 * groups, and as fields of each group object every request count was a boxed number of its own —
 * live through the whole investigation, so each young-generation collection copied them all.
 */
class GroupColumns {
  size = 0;
  countI: Float64Array;
  countB: Float64Array;
  errorsI: Float64Array;
  errorsB: Float64Array;
  rejectedI: Float64Array;
  rejectedB: Float64Array;
  /** NaN until the group has a served request in I. */
  firstSeenI: Float64Array;
  // Where each group's data sits in the store, per window: entries [at, at + n), cells
  // [cellAt, cellAt + cells) (while building: the counts, then the next free slot).
  nI: Int32Array;
  atI: Int32Array;
  cellsI: Int32Array;
  cellAtI: Int32Array;
  nB: Int32Array;
  atB: Int32Array;
  cellsB: Int32Array;
  cellAtB: Int32Array;
  store: Store | null = null;
  constructor(capacity: number) {
    this.countI = new Float64Array(capacity); this.countB = new Float64Array(capacity);
    this.errorsI = new Float64Array(capacity); this.errorsB = new Float64Array(capacity);
    this.rejectedI = new Float64Array(capacity); this.rejectedB = new Float64Array(capacity);
    this.firstSeenI = new Float64Array(capacity).fill(NaN);
    this.nI = new Int32Array(capacity); this.atI = new Int32Array(capacity); this.cellsI = new Int32Array(capacity); this.cellAtI = new Int32Array(capacity);
    this.nB = new Int32Array(capacity); this.atB = new Int32Array(capacity); this.cellsB = new Int32Array(capacity); this.cellAtB = new Int32Array(capacity);
  }
  /** A new row (the columns double when full). */
  add(): number {
    if (this.size === this.countI.length) {
      const grown = new GroupColumns(this.size * 2);
      for (const k of COLUMN_NAMES) grown[k].set(this[k]);
      for (const k of COLUMN_NAMES) (this as Record<ColumnName, Float64Array | Int32Array>)[k] = grown[k];
    }
    return this.size++;
  }
}

const COLUMN_NAMES = ["countI", "countB", "errorsI", "errorsB", "rejectedI", "rejectedB", "firstSeenI", "nI", "atI", "cellsI", "cellAtI", "nB", "atB", "cellsB", "cellAtB"] as const;
type ColumnName = (typeof COLUMN_NAMES)[number];

/** What only some groups need (the candidates, the callers shown and a few others), built on first use. */
interface Derived {
  eI?: Entries;
  eB?: Entries;
  hI?: Float64Array;
  hB?: Float64Array;
  pI?: Float64Array;
  pB?: Float64Array;
  rI?: Float64Array;
  rB?: Float64Array;
  keySet?: Set<string>;
}

class Group implements GroupData {
  policyIds: readonly string[] = NONE;
  oauthClientIds: readonly string[] = NONE;
  /** Non-key groups: the keys of their callers (a key may repeat). */
  private keyList: string[] | null = null;
  private derived: Derived | null = null;
  constructor(readonly kind: GroupKind, readonly id: string, private readonly cols: GroupColumns, readonly row: number) {}
  get countI(): number {
    return this.cols.countI[this.row];
  }
  get countB(): number {
    return this.cols.countB[this.row];
  }
  get errorsI(): number {
    return this.cols.errorsI[this.row];
  }
  get errorsB(): number {
    return this.cols.errorsB[this.row];
  }
  get rejectedI(): number {
    return this.cols.rejectedI[this.row];
  }
  get rejectedB(): number {
    return this.cols.rejectedB[this.row];
  }
  get firstSeenI(): number | null {
    const t = this.cols.firstSeenI[this.row];
    return Number.isNaN(t) ? null : t;
  }
  private get lazy(): Derived {
    return (this.derived ??= {});
  }
  get I(): Entries {
    return (this.lazy.eI ??= this.entries(this.cols.atI[this.row], this.cols.nI[this.row]));
  }
  get B(): Entries {
    return (this.lazy.eB ??= this.entries(this.cols.atB[this.row], this.cols.nB[this.row]));
  }
  get histI(): Float64Array {
    return (this.lazy.hI ??= histOf(this.I));
  }
  get histB(): Float64Array {
    return (this.lazy.hB ??= histOf(this.B));
  }
  get perMinI(): Float64Array {
    return (this.lazy.pI ??= this.perMinute(this.cols.cellAtI[this.row], this.cols.cellsI[this.row], this.cols.store?.nMinI ?? 0));
  }
  get perMinB(): Float64Array {
    return (this.lazy.pB ??= this.perMinute(this.cols.cellAtB[this.row], this.cols.cellsB[this.row], this.cols.store?.nMinB ?? 0));
  }
  get rejectedPerMinI(): Float64Array {
    return (this.lazy.rI ??= this.perMinute(this.cols.cellAtI[this.row], this.cols.cellsI[this.row], this.cols.store?.nMinI ?? 0, true));
  }
  get rejectedPerMinB(): Float64Array {
    return (this.lazy.rB ??= this.perMinute(this.cols.cellAtB[this.row], this.cols.cellsB[this.row], this.cols.store?.nMinB ?? 0, true));
  }
  get keys(): ReadonlySet<string> {
    return (this.lazy.keySet ??= new Set(this.kind === "key" ? [this.id] : this.keyList));
  }
  addKey(k: string): void {
    if (this.kind !== "key") (this.keyList ??= []).push(k);
  }
  addPolicies(ids: readonly string[]): void {
    // A key's requests nearly always carry one policy list: share it until another one arrives.
    if (this.policyIds === ids || !ids.length) return;
    if (!this.policyIds.length) this.policyIds = ids;
    else if (ids.some((p) => !this.policyIds.includes(p))) this.policyIds = [...new Set([...this.policyIds, ...ids])];
  }
  addOAuthClient(id: string): void {
    if (!this.oauthClientIds.includes(id)) this.oauthClientIds = [...this.oauthClientIds, id];
  }
  private entries(at: number, n: number): Entries {
    const s = this.cols.store;
    return n && s ? { min: s.min.subarray(at, at + n), bin: s.bin.subarray(at, at + n), cnt: s.cnt.subarray(at, at + n) } : NO_ENTRIES;
  }
  /** The cells' counts (or rejections) summed per minute in cell order: the same additions as summing them while indexing. */
  private perMinute(cellAt: number, cells: number, nMin: number, rejected = false): Float64Array {
    const out = new Float64Array(nMin), s = this.cols.store;
    if (s) {
      const from = rejected ? s.cellRejected : s.cellCount;
      for (let j = cellAt; j < cellAt + cells; j++) out[s.cellMin[j]] += from[j];
    }
    return out;
  }
}

const scratch = new Float64Array(BIN_COUNT);
const scratchBins = new Int32Array(BIN_COUNT);
const scratchSums = new Float64Array(BIN_COUNT);
// Bins already listed in scratchBins (a bin's sum may be 0 and still listed).
const listed = new Uint8Array(BIN_COUNT);

/**
 * histQuantile of a group's histogram in one window, without building it when the group has few
 * entries: the same per-bin sums in the same order, walked over the bins that occur.
 */
export function groupQuantile(g: GroupData, window: "I" | "B", total: number, q: number): number {
  return groupQuantiles(g, window, total, [q])[0];
}

/** groupQuantile at each of `qs`, the group's bins summed once. */
export function groupQuantiles(g: GroupData, window: "I" | "B", total: number, qs: readonly number[]): number[] {
  const e = window === "I" ? g.I : g.B;
  if (e.bin.length > BIN_COUNT / 4) return qs.map((q) => histQuantile(window === "I" ? g.histI : g.histB, null, total, q));
  if (!(total > 1e-9)) return qs.map(() => NaN);
  // Distinct bins in scratchBins[0, n), insertion-sorted (a group here has at most ~90 entries).
  let n = 0;
  for (let i = 0; i < e.bin.length; i++) {
    const b = e.bin[i];
    if (!listed[b]) {
      listed[b] = 1;
      let j = n++;
      while (j > 0 && scratchBins[j - 1] > b) { scratchBins[j] = scratchBins[j - 1]; j--; }
      scratchBins[j] = b;
    }
    scratch[b] += e.cnt[i];
  }
  for (let j = 0; j < n; j++) {
    scratchSums[j] = scratch[scratchBins[j]];
    scratch[scratchBins[j]] = 0;
    listed[scratchBins[j]] = 0;
  }
  return qs.map((q) => sparseQuantile(scratchBins, scratchSums, n, total, q));
}

/** Indexes the cells that fall in B or I (others are ignored, so a superset may be passed). */
export function indexTraffic(cells: readonly TrafficCell[] | CellTable, windows: { baseline: TimeWindow; incident: TimeWindow }): IndexedTraffic {
  const t = asCellTable(cells);
  const B = emptyWindow(windows.baseline);
  const I = emptyWindow(windows.incident);
  // One map per kind (no key strings to build per cell); `groups` keeps first-seen order across kinds.
  const byKind: IndexedTraffic["byKind"] = { key: new Map(), identity: new Map(), policy: new Map(), oauth_client: new Map() };
  const groups: Group[] = [];
  const cols = new GroupColumns(Math.max(16, Math.min(t.length, 4 * t.callers.length + 16)));
  const groupFor = (kind: GroupKind, id: string): Group => {
    let g = byKind[kind].get(id) as Group | undefined;
    if (!g) {
      g = new Group(kind, id, cols, cols.add());
      byKind[kind].set(id, g);
      groups.push(g);
    }
    return g;
  };
  const withIdentity = new Set<string>();
  // The groups a cell counts in follow from its caller alone: worked out once per caller, at its first cell in B or I.
  const members: (Group[] | undefined)[] = new Array(t.callers.length);
  const membersOf = (ci: number): Group[] => {
    let m = members[ci];
    if (m) return m;
    const c = t.callers[ci];
    const keyHash = c.keyHash ?? NO_KEY;
    const key = groupFor("key", keyHash);
    m = [key];
    key.addPolicies(c.policyIds);
    if (c.identityId) {
      m.push(groupFor("identity", c.identityId));
      withIdentity.add(keyHash);
    }
    if (c.oauthClientId) {
      key.addOAuthClient(c.oauthClientId);
      m.push(groupFor("oauth_client", c.oauthClientId));
    }
    for (let j = 0; j < c.policyIds.length; j++) {
      const p = c.policyIds[j];
      if (c.policyIds.indexOf(p) === j) m.push(groupFor("policy", p));
    }
    for (const g of m) g.addKey(keyHash);
    return (members[ci] = m);
  };

  // Pass 1: sums (in cell order, as always), groups and how many entries each group gets. The
  // entries are then written straight into three shared arrays instead of growing JS arrays.
  // A cell's minute in its window, +1 for I and -1 for B (0: in neither).
  const where = new Int32Array(t.length);
  let total = 0, memberships = 0;
  // Grid rows: B's minutes, then I's.
  if (grid.length < (B.nMin + I.nMin) * BIN_COUNT) grid = new Float64Array((B.nMin + I.nMin) * BIN_COUNT);
  for (let ci = 0; ci < t.length; ci++) {
    const minute = t.minute[ci];
    const inI = minute >= I.window.from && minute < I.window.to;
    const inB = !inI && minute >= B.window.from && minute < B.window.to;
    if (!inI && !inB) continue;
    const w = inI ? I : B;
    const m = Math.floor((minute - w.window.from) / MIN);
    where[ci] = inI ? m + 1 : -(m + 1);
    const count = t.count[ci], errors = t.errors[ci], rejected = t.rejected[ci];
    const b0 = t.binStart[ci], b1 = t.binStart[ci + 1], nb = b1 - b0;
    w.minuteCount[m] += count;
    w.total += count;
    w.errors += errors;
    w.rejected += rejected;
    const row = ((inI ? B.nMin : 0) + m) * BIN_COUNT;
    for (let j = b0; j < b1; j++) {
      grid[row + t.bin[j]] += t.binCount[j];
      w.hist[t.bin[j]] += t.binCount[j];
    }
    const ms = membersOf(t.caller[ci]);
    for (let k = 0; k < ms.length; k++) {
      const r = ms[k].row;
      if (inI) {
        cols.countI[r] += count; cols.errorsI[r] += errors; cols.rejectedI[r] += rejected;
        if (count > 0 && !(minute >= cols.firstSeenI[r])) cols.firstSeenI[r] = minute;
        cols.nI[r] += nb; cols.cellsI[r]++;
      } else {
        cols.countB[r] += count; cols.errorsB[r] += errors; cols.rejectedB[r] += rejected;
        cols.nB[r] += nb; cols.cellsB[r]++;
      }
      total += nb;
      memberships++;
    }
  }

  B.minutes = takeMinutes(0, B.nMin);
  I.minutes = takeMinutes(B.nMin, I.nMin);

  const store: Store = {
    min: new Int32Array(total), bin: new Int32Array(total), cnt: new Float64Array(total),
    cellMin: new Int32Array(memberships), cellCount: new Float64Array(memberships), cellRejected: new Float64Array(memberships), nMinI: I.nMin, nMinB: B.nMin,
  };
  cols.store = store;
  let at = 0, cellAt = 0;
  for (let r = 0; r < cols.size; r++) {
    cols.atI[r] = at; at += cols.nI[r]; cols.nI[r] = 0;
    cols.cellAtI[r] = cellAt; cellAt += cols.cellsI[r]; cols.cellsI[r] = 0;
    cols.atB[r] = at; at += cols.nB[r]; cols.nB[r] = 0;
    cols.cellAtB[r] = cellAt; cellAt += cols.cellsB[r]; cols.cellsB[r] = 0;
  }
  // Pass 2: each group's entries and cells in cell order.
  for (let ci = 0; ci < t.length; ci++) {
    const wm = where[ci];
    if (wm === 0) continue;
    const inI = wm > 0, m = inI ? wm - 1 : -wm - 1;
    const b0 = t.binStart[ci], b1 = t.binStart[ci + 1], nb = b1 - b0;
    const ms = members[t.caller[ci]]!;
    for (let k = 0; k < ms.length; k++) {
      const r = ms[k].row;
      let o = inI ? cols.atI[r] + cols.nI[r] : cols.atB[r] + cols.nB[r];
      for (let j = b0; j < b1; j++, o++) { store.min[o] = m; store.bin[o] = t.bin[j]; store.cnt[o] = t.binCount[j]; }
      const cell = inI ? cols.cellAtI[r] + cols.cellsI[r] : cols.cellAtB[r] + cols.cellsB[r];
      store.cellMin[cell] = m;
      store.cellCount[cell] = t.count[ci];
      store.cellRejected[cell] = t.rejected[ci];
      if (inI) { cols.nI[r] += nb; cols.cellsI[r]++; } else { cols.nB[r] += nb; cols.cellsB[r]++; }
    }
  }
  return { B, I, groups, byKind, keysWithIdentity: withIdentity };
}

/** Union of disjoint groups in one window (keys partition the traffic, so their entries simply concatenate). */
export function unionOfKeys(traffic: IndexedTraffic, keyHashes: string[], window: "I" | "B"): Entries {
  const parts = keyHashes.map((k) => traffic.byKind.key.get(k)?.[window]).filter((e): e is Entries => e != null);
  const n = parts.reduce((s, e) => s + e.min.length, 0);
  const out: Entries = { min: new Int32Array(n), bin: new Int32Array(n), cnt: new Float64Array(n) };
  let o = 0;
  for (const e of parts) {
    out.min.set(e.min, o); out.bin.set(e.bin, o); out.cnt.set(e.cnt, o);
    o += e.min.length;
  }
  return out;
}
