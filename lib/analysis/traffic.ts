// Turns traffic cells into dense per-window histograms and per-group sparse entry lists, the form
// the bootstrap needs: every statistic is then a weighted sum over minutes, so resampling minutes
// (block bootstrap) is just a new weight vector.
import type { GroupKind, RequestSample, TimeWindow, TrafficCell } from "./types";
import { BIN_COUNT, latencyBin } from "./histogram";

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
      c = { cell: { minute, keyHash: r.keyHash, identityId: r.identityId, oauthClientId: r.oauthClientId, policyIds, count: 0, errors: 0, bins: [], binCounts: [] }, bins: new Map() };
      cells.set(id, c);
    }
    const w = r.weight ?? 1;
    c.cell.count += w;
    if (r.status >= 500) c.cell.errors += w;
    const b = latencyBin(r.latencyMs);
    c.bins.set(b, (c.bins.get(b) ?? 0) + w);
  }
  return [...cells.values()].map(({ cell, bins }) => ({ ...cell, bins: [...bins.keys()], binCounts: [...bins.values()] }));
}

export interface WindowData {
  window: TimeWindow;
  nMin: number;
  /** nMin × BIN_COUNT, minute-major. */
  minuteHist: Float64Array;
  minuteCount: Float64Array;
  hist: Float64Array;
  total: number;
  errors: number;
}

/** Sparse (minute, bin, count) entries of one group's requests in one window. */
export interface Entries {
  min: Int32Array;
  bin: Int32Array;
  cnt: Float64Array;
}

export interface GroupData {
  kind: GroupKind;
  id: string;
  I: Entries;
  B: Entries;
  countI: number;
  countB: number;
  errorsI: number;
  errorsB: number;
  firstSeenI: number | null;
  perMinI: Float64Array;
  perMinB: Float64Array;
  histI: Float64Array;
  histB: Float64Array;
  /** Policies seen on this group's requests (keys only), for "keys under policy P". */
  policyIds: Set<string>;
  oauthClientIds: Set<string>;
  /** Keys whose requests are in this group (one for a key group). */
  keys: Set<string>;
}

export interface IndexedTraffic {
  B: WindowData;
  I: WindowData;
  groups: GroupData[];
  byKind: Record<GroupKind, Map<string, GroupData>>;
}

interface Building {
  g: GroupData;
  e: { I: number[][]; B: number[][] };
}

function emptyWindow(window: TimeWindow): WindowData {
  const nMin = Math.max(1, Math.ceil((window.to - window.from) / MIN));
  return { window, nMin, minuteHist: new Float64Array(nMin * BIN_COUNT), minuteCount: new Float64Array(nMin), hist: new Float64Array(BIN_COUNT), total: 0, errors: 0 };
}

function toEntries(rows: number[][]): Entries {
  return { min: Int32Array.from(rows[0]), bin: Int32Array.from(rows[1]), cnt: Float64Array.from(rows[2]) };
}

/** Indexes the cells that fall in B or I (others are ignored, so a superset may be passed). */
export function indexTraffic(cells: TrafficCell[], windows: { baseline: TimeWindow; incident: TimeWindow }): IndexedTraffic {
  const B = emptyWindow(windows.baseline);
  const I = emptyWindow(windows.incident);
  // One map per kind (no key strings to build per cell); `order` keeps first-seen order across kinds.
  const building: Record<GroupKind, Map<string, Building>> = { key: new Map(), identity: new Map(), policy: new Map(), oauth_client: new Map() };
  const order: Building[] = [];
  // A group's four dense arrays are views into shared slabs: hundreds of groups each allocating
  // four small typed arrays dominated building the index.
  const per = 2 * BIN_COUNT + I.nMin + B.nMin, SLAB_GROUPS = 64;
  let slab = new Float64Array(0), used = 0;
  const take = (n: number): Float64Array => {
    if (used + n > slab.length) { slab = new Float64Array(per * SLAB_GROUPS); used = 0; }
    used += n;
    return slab.subarray(used - n, used);
  };
  const groupFor = (kind: GroupKind, id: string): Building => {
    let b = building[kind].get(id);
    if (!b) {
      b = {
        g: {
          kind, id, I: null as unknown as Entries, B: null as unknown as Entries, countI: 0, countB: 0, errorsI: 0, errorsB: 0, firstSeenI: null,
          perMinI: take(I.nMin), perMinB: take(B.nMin), histI: take(BIN_COUNT), histB: take(BIN_COUNT), policyIds: new Set(), oauthClientIds: new Set(), keys: new Set(),
        },
        e: { I: [[], [], []], B: [[], [], []] },
      };
      building[kind].set(id, b);
      order.push(b);
    }
    return b;
  };

  for (const c of cells) {
    const inI = c.minute >= I.window.from && c.minute < I.window.to;
    const inB = !inI && c.minute >= B.window.from && c.minute < B.window.to;
    if (!inI && !inB) continue;
    const w = inI ? I : B;
    const m = Math.floor((c.minute - w.window.from) / MIN);
    w.minuteCount[m] += c.count;
    w.total += c.count;
    w.errors += c.errors;
    for (let j = 0; j < c.bins.length; j++) {
      w.minuteHist[m * BIN_COUNT + c.bins[j]] += c.binCounts[j];
      w.hist[c.bins[j]] += c.binCounts[j];
    }
    const members: Building[] = [groupFor("key", c.keyHash ?? NO_KEY)];
    for (const p of c.policyIds) members[0].g.policyIds.add(p);
    if (c.oauthClientId) members[0].g.oauthClientIds.add(c.oauthClientId);
    if (c.identityId) members.push(groupFor("identity", c.identityId));
    if (c.oauthClientId) members.push(groupFor("oauth_client", c.oauthClientId));
    for (const p of new Set(c.policyIds)) members.push(groupFor("policy", p));
    for (const { g, e } of members) {
      g.keys.add(c.keyHash ?? NO_KEY);
      const rows = inI ? e.I : e.B;
      if (inI) {
        g.countI += c.count; g.errorsI += c.errors; g.perMinI[m] += c.count;
        if (g.firstSeenI == null || c.minute < g.firstSeenI) g.firstSeenI = c.minute;
      } else {
        g.countB += c.count; g.errorsB += c.errors; g.perMinB[m] += c.count;
      }
      const h = inI ? g.histI : g.histB;
      for (let j = 0; j < c.bins.length; j++) {
        rows[0].push(m); rows[1].push(c.bins[j]); rows[2].push(c.binCounts[j]);
        h[c.bins[j]] += c.binCounts[j];
      }
    }
  }

  const byKind: IndexedTraffic["byKind"] = { key: new Map(), identity: new Map(), policy: new Map(), oauth_client: new Map() };
  const groups: GroupData[] = [];
  for (const { g, e } of order) {
    g.I = toEntries(e.I);
    g.B = toEntries(e.B);
    groups.push(g);
    byKind[g.kind].set(g.id, g);
  }
  return { B, I, groups, byKind };
}

/** Union of disjoint groups (keys partition the traffic, so their entries simply concatenate). */
export function unionOfKeys(traffic: IndexedTraffic, keyHashes: string[]): Entries {
  const parts = keyHashes.map((k) => traffic.byKind.key.get(k)).filter((g): g is GroupData => g != null);
  const n = parts.reduce((s, g) => s + g.I.min.length, 0);
  const out: Entries = { min: new Int32Array(n), bin: new Int32Array(n), cnt: new Float64Array(n) };
  let o = 0;
  for (const g of parts) {
    out.min.set(g.I.min, o); out.bin.set(g.I.bin, o); out.cnt.set(g.I.cnt, o);
    o += g.I.min.length;
  }
  return out;
}
