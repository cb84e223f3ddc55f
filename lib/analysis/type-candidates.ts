// User types as suspects ("partners on Gold got 4× slower" vs "one partner got louder"): a type
// whose anomaly (lib/anomalies) overlaps the incident is tested like any caller group — its
// requests are the removable entries, so its share comes from the same "p99 without" and bootstrap,
// under the same FDR control. Only anomaly-backed types are candidates: without an anomaly the
// candidate set, and so every q-value, is what it was.
//
// A type is tested through its callers' keys (the index is per key): a key's requests count to the
// type when its caller is of it. Keys are the unit the rest of the engine compares callers by
// (standsOut, specificity), so a single louder key of the type still ranks before the type.
import type { GroupData, IndexedTraffic } from "./traffic";
import { unionOfKeys } from "./traffic";
import type { Candidate } from "./candidates";
import { groupEvidence } from "./candidates";
import { histQuantile } from "./histogram";
import type { UserTypeInput } from "./types";

/** The keys' groups summed into one: what a caller group of exactly those keys would be. */
export function keysGroup(traffic: IndexedTraffic, id: string, keyHashes: string[]): GroupData | null {
  const members = [...new Set(keyHashes)].map((k) => traffic.byKind.key.get(k)).filter((g) => g !== undefined);
  if (!members.length) return null;
  const ids = members.map((g) => g.id);
  const sum = (f: (g: GroupData) => number) => members.reduce((s, g) => s + f(g), 0);
  const add = (f: (g: GroupData) => Float64Array) => {
    const out = new Float64Array(f(members[0]).length);
    for (const g of members) {
      const a = f(g);
      for (let i = 0; i < a.length; i++) out[i] += a[i];
    }
    return out;
  };
  const lazy = <T>(make: () => T) => {
    let v: T | undefined;
    return () => (v ??= make());
  };
  const I = lazy(() => unionOfKeys(traffic, ids, "I")), B = lazy(() => unionOfKeys(traffic, ids, "B"));
  const histI = lazy(() => add((g) => g.histI)), histB = lazy(() => add((g) => g.histB));
  const perMinI = lazy(() => add((g) => g.perMinI)), perMinB = lazy(() => add((g) => g.perMinB));
  const rejI = lazy(() => add((g) => g.rejectedPerMinI)), rejB = lazy(() => add((g) => g.rejectedPerMinB));
  const firstSeen = members.map((g) => g.firstSeenI).filter((t): t is number => t != null);
  return {
    kind: "user_type", id,
    get I() { return I(); }, get B() { return B(); },
    countI: sum((g) => g.countI), countB: sum((g) => g.countB),
    errorsI: sum((g) => g.errorsI), errorsB: sum((g) => g.errorsB),
    rejectedI: sum((g) => g.rejectedI), rejectedB: sum((g) => g.rejectedB),
    firstSeenI: firstSeen.length ? Math.min(...firstSeen) : null,
    get perMinI() { return perMinI(); }, get perMinB() { return perMinB(); },
    get rejectedPerMinI() { return rejI(); }, get rejectedPerMinB() { return rejB(); },
    get histI() { return histI(); }, get histB() { return histB(); },
    policyIds: [...new Set(members.flatMap((g) => g.policyIds))],
    oauthClientIds: [...new Set(members.flatMap((g) => g.oauthClientIds))],
    keys: new Set(ids),
  };
}

/** The anomaly-backed user types with at least `minRequests` requests in I, as candidates. */
export function typeCandidates(traffic: IndexedTraffic, types: readonly UserTypeInput[], minRequests: number): Candidate[] {
  const out: Candidate[] = [];
  for (const t of types) {
    const g = keysGroup(traffic, t.id, t.keyHashes);
    // Every caller of the endpoint is of the type (e.g. an investigation filtered to it): removing it removes everything.
    if (!g || g.countI < minRequests || g.keys.size === traffic.byKind.key.size) continue;
    out.push({
      kind: "user_type", id: t.id, label: t.label, entries: g.I, group: g,
      evidence: { ...groupEvidence(traffic, g.countB, g.countI, (n, q) => histQuantile(g.histB, null, n, q), (n, q) => histQuantile(g.histI, null, n, q), g.rejectedB, g.rejectedI), anomaly: t.anomaly },
      eligible: true,
    });
  }
  return out;
}

