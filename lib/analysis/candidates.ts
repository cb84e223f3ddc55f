// Candidate suspects: which groups and changes to test, and the evidence that does not need the
// bootstrap (rates, percentiles before/after, volume part of a removal share).
import type { EnabledLink, GroupKind, SuspectEvidence, SuspectKind, Touch } from "./types";
import type { Entries, GroupData, IndexedTraffic } from "./traffic";
import { groupQuantile, unionOfKeys } from "./traffic";
import { BIN_COUNT, histQuantile } from "./histogram";

export interface Candidate {
  kind: SuspectKind;
  id: string;
  label: string;
  /** Requests whose removal is tested; null for a change with nothing to remove. */
  entries: Entries | null;
  group?: GroupData;
  touch?: Touch;
  link?: EnabledLink;
  evidence: Omit<SuspectEvidence, "bootstrapped" | "p99Without">;
  /** Only a change precisely dated (audit log, trace backend) after t0's minute is excluded: it cannot have caused the start. */
  eligible: boolean;
}

export type Labels = Partial<Record<GroupKind, Record<string, string>>>;

/** p99 of n requests by `quantile` (a histogram's), rounded; null without requests. */
const q99 = (n: number, quantile: (n: number, q: number) => number) => (n > 0 ? round(quantile(n, 0.99)) : null);

/** `quantileB`/`quantileI`: the percentile of the candidate's requests in B and I (total, q) → ms. */
export function groupEvidence(
  traffic: IndexedTraffic, countB: number, countI: number, quantileB: (n: number, q: number) => number, quantileI: (n: number, q: number) => number,
  rejectedB = 0, rejectedI = 0,
): Candidate["evidence"] {
  return {
    requestsBefore: round(countB),
    requestsAfter: round(countI),
    rejectedBefore: round(rejectedB),
    rejectedAfter: round(rejectedI),
    ratePerMinBefore: round(countB / traffic.B.nMin),
    ratePerMinAfter: round(countI / traffic.I.nMin),
    p99Before: q99(countB, quantileB),
    p99After: q99(countI, quantileI),
  };
}

export function groupCandidates(traffic: IndexedTraffic, minRequests: number, labels: Labels = {}): Candidate[] {
  return traffic.groups
    .filter((g) => g.countI >= minRequests)
    .map((g) => ({
      kind: g.kind,
      id: g.id,
      label: labels[g.kind]?.[g.id] ?? g.id,
      entries: g.I,
      group: g,
      // groupQuantile: the dense histograms' percentile bit for bit, without building them for the
      // many small groups (a busy endpoint's ~800 candidates, two 350-bin arrays each).
      evidence: groupEvidence(traffic, g.countB, g.countI, (n, q) => groupQuantile(g, "B", n, q), (n, q) => groupQuantile(g, "I", n, q), g.rejectedB, g.rejectedI),
      eligible: true,
    }));
}

export function changeCandidates(traffic: IndexedTraffic, touches: Touch[], links: Map<string, EnabledLink>): Candidate[] {
  return touches.map((t) => {
    const link = links.get(t.change.id);
    const keys = (link?.keyHashes ?? []).map((k) => traffic.byKind.key.get(k)).filter((g) => g !== undefined);
    const hB = new Float64Array(BIN_COUNT), hI = new Float64Array(BIN_COUNT);
    let cB = 0, cI = 0, rB = 0, rI = 0;
    for (const g of keys) {
      cB += g.countB; cI += g.countI; rB += g.rejectedB; rI += g.rejectedI;
      for (let b = 0; b < BIN_COUNT; b++) { hB[b] += g.histB[b]; hI[b] += g.histI[b]; }
    }
    return {
      kind: t.change.kind === "deploy" ? "deploy" as const : "access_change" as const,
      id: t.change.id,
      label: t.change.label,
      entries: link && link.keyHashes.length ? unionOfKeys(traffic, link.keyHashes, "I") : null,
      touch: t,
      link,
      evidence: { ...groupEvidence(traffic, cB, cI, (n, q) => histQuantile(hB, null, n, q), (n, q) => histQuantile(hI, null, n, q), rB, rI), diff: t.change.diff, afterSpikeStart: t.afterSpikeStart, ...(link ? { enables: link } : {}) },
      eligible: !(t.afterSpikeStart && t.change.timeSource !== "first_seen"),
    };
  });
}

/**
 * The volume part of a group's removal share: how much lower q(I) would be had the group kept its
 * B request rate (its I histogram scaled down), as a fraction of Δ. The rest is its own latency.
 */
export function volumeShare(traffic: IndexedTraffic, g: GroupData, q: number, qI: number, delta: number): number {
  const rB = g.countB / traffic.B.nMin, rI = g.countI / traffic.I.nMin;
  if (!(rI > rB) || delta <= 0) return 0;
  const drop = 1 - rB / rI;
  const h = new Float64Array(BIN_COUNT);
  for (let b = 0; b < BIN_COUNT; b++) h[b] = traffic.I.hist[b] - drop * g.histI[b];
  return (qI - histQuantile(h, null, traffic.I.total - drop * g.countI, q)) / delta;
}

/** (q(I \ g) − q(B \ g)) / Δ: how much of the excess sits in the other callers' requests. */
export function othersExcessFraction(traffic: IndexedTraffic, g: GroupData, q: number, delta: number): number {
  const qIo = histQuantile(traffic.I.hist, g.histI, traffic.I.total - g.countI, q);
  const qBo = histQuantile(traffic.B.hist, g.histB, traffic.B.total - g.countB, q);
  const f = (qIo - qBo) / delta;
  return Number.isFinite(f) ? Math.max(0, Math.min(1, f)) : 0;
}

/** How the endpoint's served load moved between B and I (requests per minute). */
export function loadRise(traffic: IndexedTraffic): { perMin: number; rose: (minRise: number) => boolean } {
  const before = traffic.B.total / traffic.B.nMin, after = traffic.I.total / traffic.I.nMin;
  return { perMin: after - before, rose: (minRise) => after >= (1 + minRise) * before && after - before >= 1 };
}

/**
 * Groups whose served rate grew enough to be tested as noisy neighbours (at least `minGrowth`×, by
 * at least `minAdded` requests per minute), largest growth first.
 */
export function neighbourCandidates(traffic: IndexedTraffic, minGrowth: number, max: number, minRequests: number, minAdded = 1): GroupData[] {
  const rB = (g: GroupData) => g.countB / traffic.B.nMin, rI = (g: GroupData) => g.countI / traffic.I.nMin;
  return traffic.groups
    .filter((g) => g.countI >= minRequests && rI(g) >= minGrowth * rB(g) && rI(g) - rB(g) >= Math.max(1, minAdded))
    .sort((a, b) => rI(b) - rB(b) - (rI(a) - rB(a)))
    .slice(0, max);
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000 || 0;
}
