// Key lineage: a rotated key is the same caller under a new key. Without it, a rotation shortly
// before a slowdown looks like a caller that vanished and a new one that "started" at full volume —
// the new key then read as a noisy neighbour explaining the whole spike.
//
// A key B continues key A when
//   - an access change says so: a key change with action "rotate" (Tyk sync: a hash gone and a new
//     one with the same alias in one sync; Touchline's own rotations) names both, or
//   - the traffic says so: A's requests stop and B's start within a few minutes of each other
//     (a grace period may overlap them), both carry the same identity (alias, owner), or — for keys
//     without one — the same policies and OAuth client, and exactly one such pair exists (anonymous
//     keys that merely share a policy are never merged on a guess).
import type { AccessChange, Rotation, TimeWindow, TrafficCell } from "./types";
import { asCellTable, mapCallers, type CellTable } from "./cell-table";

const MIN = 60_000;

export interface KeyLineage {
  rotations: Rotation[];
  /** Old key → the key that finally carries its traffic (chains of rotations resolved). */
  successor: ReadonlyMap<string, string>;
}

export interface LineageOptions {
  /** Most minutes between the old key's last request and the new key's first. */
  maxGapMinutes?: number;
  /** Most minutes the two keys may both be in use (a rotation's grace period). */
  maxOverlapMinutes?: number;
}

interface KeySpan {
  key: string;
  first: number;
  last: number;
  identity: string | null;
  /** Policies and OAuth client of its first cell: the "same grants" signature of an anonymous key. */
  grants: string;
}

export const NO_LINEAGE: KeyLineage = { rotations: [], successor: new Map() };

/** The rotations visible in the cells (B and I, and the gap between them) and the changes. */
export function keyLineage(cells: readonly TrafficCell[] | CellTable, windows: { baseline: TimeWindow; incident: TimeWindow }, changes: readonly AccessChange[], o: LineageOptions = {}): KeyLineage {
  const maxGap = (o.maxGapMinutes ?? 15) * MIN, maxOverlap = (o.maxOverlapMinutes ?? 60) * MIN;
  const from = windows.baseline.from, to = windows.incident.to;
  const t = asCellTable(cells);
  const spans = new Map<string, KeySpan>();
  for (let i = 0; i < t.length; i++) {
    const c = t.callers[t.caller[i]], minute = t.minute[i];
    if (!c.keyHash || minute < from || minute >= to || !(t.count[i] > 0 || t.rejected[i] > 0)) continue;
    const s = spans.get(c.keyHash);
    if (!s) spans.set(c.keyHash, { key: c.keyHash, first: minute, last: minute, identity: c.identityId, grants: `${c.oauthClientId ?? ""}|${[...c.policyIds].sort().join(",")}` });
    else {
      if (minute < s.first) s.first = minute;
      if (minute > s.last) s.last = minute;
      s.identity ??= c.identityId;
    }
  }
  const rotations: Rotation[] = [];
  const linked = new Set<string>();
  const add = (r: Rotation) => {
    if (r.from === r.to || linked.has(r.from)) return;
    linked.add(r.from);
    rotations.push(r);
  };

  for (const c of changes) {
    if (c.kind !== "key" || c.action !== "rotate") continue;
    // Writers name the pair differently (the Tyk sync: target = the new key; a rotation made through
    // the console may target the old one): the key whose requests stop first is the old one.
    const pair = [...new Set([c.targetId, ...c.keyHashes])].map((k) => spans.get(k)).filter((x): x is KeySpan => x != null);
    if (pair.length === 2) {
      const [a, b] = pair[0].last <= pair[1].last ? pair : [pair[1], pair[0]];
      add({ from: a.key, to: b.key, at: c.changedAt, source: "rotate_change", changeId: c.id });
    } else {
      for (const old of c.keyHashes) if (old !== c.targetId && spans.has(old) && spans.has(c.targetId)) add({ from: old, to: c.targetId, at: c.changedAt, source: "rotate_change", changeId: c.id });
    }
  }

  // Keys that stopped before the end, and keys that started after the beginning.
  const edge = 5 * MIN;
  const stopped = [...spans.values()].filter((s) => s.last < to - edge && !linked.has(s.key));
  const started = [...spans.values()].filter((s) => s.first > from + edge);
  const follows = (a: KeySpan, b: KeySpan) => a.key !== b.key && b.first >= a.first && b.first - a.last <= maxGap && a.last - b.first <= maxOverlap && b.last > a.last;
  const taken = new Set<string>();
  for (const a of stopped) {
    const byIdentity = a.identity ? started.filter((b) => b.identity === a.identity && follows(a, b)) : [];
    const byGrants = a.identity ? [] : started.filter((b) => !b.identity && b.grants === a.grants && follows(a, b));
    const pick = byIdentity.length ? byIdentity : byGrants;
    if (pick.length !== 1 || taken.has(pick[0].key)) continue;
    // An anonymous pair must be the only one of its grants, in both directions.
    if (!byIdentity.length && stopped.filter((x) => !x.identity && x.grants === a.grants && follows(x, pick[0])).length !== 1) continue;
    taken.add(pick[0].key);
    add({ from: a.key, to: pick[0].key, at: pick[0].first, source: byIdentity.length ? "same_identity" : "same_policies" });
  }

  const next = new Map(rotations.map((r) => [r.from, r.to]));
  const successor = new Map<string, string>();
  for (const k of next.keys()) {
    let s = next.get(k)!;
    for (let hops = 0; next.has(s) && hops < 16; hops++) s = next.get(s)!;
    successor.set(k, s);
  }
  return { rotations: rotations.sort((a, b) => a.at - b.at || (a.from < b.from ? -1 : 1)), successor };
}

/** The cells with every rotated-away key's requests counted under the key that carries them on. */
export function withLineage(cells: TrafficCell[], lineage: KeyLineage): TrafficCell[];
export function withLineage(cells: CellTable, lineage: KeyLineage): CellTable;
export function withLineage(cells: TrafficCell[] | CellTable, lineage: KeyLineage): TrafficCell[] | CellTable {
  if (!lineage.successor.size) return cells;
  // Every cell of a caller is rewritten alike, so a caller id still names one (rewritten) tuple.
  const successorOf = <C extends { keyHash: string | null }>(c: C): C => {
    const to = c.keyHash ? lineage.successor.get(c.keyHash) : undefined;
    return to ? { ...c, keyHash: to } : c;
  };
  return mapCallers(cells, successorOf);
}
