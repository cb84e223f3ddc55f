// "Enabled by": links an access change to the traffic it made possible, so the change can inherit
// the share of the excess that traffic explains (its removal share and interval are computed over
// the union of the linked keys' requests).
//
// Relaxing changes (policy/key: rate or per raised, quota raised, access to this API granted) link
// the keys under them whose traffic, split at the change's time, either
//   - exceeds the old limit afterwards (strongest: that rate was impossible before the change),
//   - started after it (no request before, ≥ minRequests after), or
//   - surged after it (rate ≥ minSurge× the rate before, and ≥ 1 req/min more).
// Why not only "past the old limit": a limit is not only a ceiling on the average. A caller whose
// batch job is gated on its plan (or whose own client throttles to a fraction of the limit, or
// whose traffic was shed by Tyk's burst smoothing) starts or multiplies its traffic right after a
// raise yet stays far below the old limit; the demo's globex-batch sends ~46 req/min after a
// 100 → 2000 req/s raise. Timing is then the evidence, which is weaker, so the links say which
// kind of evidence they rest on and "past the old limit" ranks first.
// Time order matters: traffic already there before the change (at the same rate) was not enabled by
// it, so the "before" rate is measured on the minutes before the change, not on all of B.
import type { EnabledKey, EnabledLink, Touch } from "./types";
import { groupQuantile, type GroupData, type IndexedTraffic } from "./traffic";
import { relaxationOf } from "./relaxation";

export { limitChange, relaxationOf, type RelaxationFound } from "./relaxation";

const MIN = 60_000;

export interface LinkOptions {
  /** Minimum rate growth factor for a key's rate past the old limit to count (it must also have grown). */
  minGrowth?: number;
  /** Minimum growth factor for a key's surge after a relaxing change to count without passing the old limit. */
  minSurge?: number;
  /** Requests after the change a key that had none before needs to count as started by it. */
  minRequests?: number;
  /** Fraction of I's steady-caller volume that must have slowed to link an API definition change. */
  slowedFraction?: number;
  /** The endpoint's API: "access granted" only counts for it. */
  apiId?: string;
  /** Key labels for the evidence sentence (key hashes are never shown). */
  keyLabels?: Record<string, string>;
}

/** One key's traffic split at a change's time (at). */
interface Around {
  g: GroupData;
  traffic: IndexedTraffic;
  at: number;
  rateBefore: number;
  countBefore: number;
  rateAfter: number;
  countAfter: number;
}

/** Fewer pre-change minutes than this in B and the whole of B stands for "before" (conservative: any post-change growth inside B only lowers the ratio). */
const MIN_BEFORE_MINUTES = 10;

// Minutes are walked B first, then I, in time order; sums run in that order.
function around(g: GroupData, traffic: IndexedTraffic, at: number): Around | null {
  const { B, I } = traffic, pB = g.perMinB, pI = g.perMinI;
  let countBefore = 0, nBefore = 0;
  for (let m = 0; m < B.nMin; m++) if (B.window.from + (m + 1) * MIN <= at) { countBefore += pB[m]; nBefore++; }
  if (nBefore < MIN_BEFORE_MINUTES) {
    countBefore = 0;
    for (let m = 0; m < B.nMin; m++) countBefore += pB[m];
    nBefore = B.nMin;
  } else {
    for (let m = 0; m < I.nMin; m++) if (I.window.from + (m + 1) * MIN <= at) { countBefore += pI[m]; nBefore++; }
  }
  // The incident is what the share measures: "after" is I from the change on (all of I for a change before it).
  let countAfter = 0, nAfter = 0;
  for (let m = 0; m < I.nMin; m++) if (I.window.from + m * MIN >= at) { countAfter += pI[m]; nAfter++; }
  if (!nAfter || !nBefore) return null;
  return { g, traffic, at, countBefore, countAfter, rateBefore: countBefore / nBefore, rateAfter: countAfter / nAfter };
}

/** Start of the first minute from the change on (B, then I) whose count passes `test`, or null. */
function firstMinuteAfter(a: Around, test: (n: number) => boolean): number | null {
  for (const [w, perMin] of [[a.traffic.B, a.g.perMinB], [a.traffic.I, a.g.perMinI]] as const) {
    for (let m = 0; m < w.nMin; m++) {
      const t = w.window.from + m * MIN;
      if (t >= a.at && test(perMin[m])) return t;
    }
  }
  return null;
}

const EVIDENCE_ORDER = { past_old_limit: 0, started: 1, surged: 2 } as const;
const REASON = { past_old_limit: "rate_past_old_limit", started: "traffic_started_after_limit_raised", surged: "rate_rose_after_limit_raised" } as const;

interface KeyContext {
  at: number;
  oldPerMin?: number;
  label: string;
  /** "under partner-gold" or "the changed key". */
  scope: string;
  phrase: string;
}

function enabledKey(a: Around, x: KeyContext, o: Required<Pick<LinkOptions, "minGrowth" | "minSurge" | "minRequests">>): EnabledKey | null {
  const { rateBefore: rb, rateAfter: ra } = a, oldPerMin = x.oldPerMin;
  const gain = ra - rb >= 1;
  let evidence: EnabledKey["evidence"] | null = null;
  if (oldPerMin != null && ra > oldPerMin && ra >= o.minGrowth * rb && gain) evidence = "past_old_limit";
  else if (a.countBefore === 0 && a.countAfter >= o.minRequests) evidence = "started";
  else if (ra >= o.minSurge * rb && gain) evidence = "surged";
  if (!evidence) return null;
  const onset = evidence === "started"
    ? firstMinuteAfter(a, (n) => n > 0)
    : firstMinuteAfter(a, (n) => n >= o.minSurge * rb && n - rb >= 1);
  const k: Omit<EnabledKey, "detail"> = {
    keyHash: a.g.id, label: x.label, evidence, ratePerMinBefore: round(rb), ratePerMinAfter: round(ra),
    minutesAfterChange: onset != null ? Math.max(0, Math.round((onset - x.at) / MIN)) : null,
  };
  return { ...k, detail: sentence(k, x.scope, x.phrase, oldPerMin) };
}

function sentence(k: Omit<EnabledKey, "detail">, under: string, phrase: string, oldPerMin: number | undefined): string {
  const when = k.minutesAfterChange != null ? `${k.minutesAfterChange} min after` : "after";
  switch (k.evidence) {
    case "past_old_limit":
      return `${k.label} (${under}) ran at ${fmt(k.ratePerMinAfter)}/min after ${phrase}, past the old limit of ${fmt(oldPerMin!)}/min (strongest evidence: impossible before the change)`;
    case "started":
      return `${k.label} (${under}) started ${when} ${phrase}`;
    case "surged":
      return `${k.label} (${under}) surged ${fmt(k.ratePerMinBefore)} → ${fmt(k.ratePerMinAfter)}/min ${when} ${phrase}`;
  }
}

/** For each change touch, the traffic it enabled (changes with no link are absent). */
export function linkEnabledTraffic(touches: Touch[], traffic: IndexedTraffic, o: LinkOptions = {}): Map<string, EnabledLink> {
  const thresholds = { minGrowth: o.minGrowth ?? 1.5, minSurge: o.minSurge ?? 3, minRequests: o.minRequests ?? 5 };
  const keys = [...traffic.byKind.key.values()];
  const links = new Map<string, EnabledLink>();
  // Four percentiles of every steady key: only worth it when an API definition change is in view.
  let slowedMemo: boolean | undefined;
  const slowed = () => (slowedMemo ??= callersSlowedFraction(traffic) >= (o.slowedFraction ?? 0.7));

  for (const { change: c, reachesBy } of touches) {
    const relax = relaxationOf(c, o.apiId);
    if (relax) {
      const under = keys.filter((g) => (c.kind === "policy" ? g.policyIds.includes(c.targetId) : g.id === c.targetId) || c.keyHashes.includes(g.id));
      const scope = c.kind === "policy" ? `under ${c.label}` : "the changed key";
      const enabled = under
        .map((g) => around(g, traffic, c.changedAt))
        .map((a) => (a ? enabledKey(a, { at: c.changedAt, oldPerMin: relax.oldPerMin, label: o.keyLabels?.[a.g.id] ?? a.g.id, scope, phrase: relax.phrase }, thresholds) : null))
        .filter((k): k is EnabledKey => k != null)
        .sort((a, b) => EVIDENCE_ORDER[a.evidence] - EVIDENCE_ORDER[b.evidence] || b.ratePerMinAfter - b.ratePerMinBefore - (a.ratePerMinAfter - a.ratePerMinBefore));
      if (enabled.length) {
        const top = enabled[0];
        const link: EnabledLink = {
          changeId: c.id, reason: REASON[top.evidence], keyHashes: enabled.map((k) => k.keyHash),
          ...(relax.oldPerMin != null ? { oldLimitPerMin: round(relax.oldPerMin) } : {}),
          ...(relax.newPerMin != null ? { newLimitPerMin: round(relax.newPerMin) } : {}),
          relaxed: relax.relaxed, keys: enabled,
          detail: top.detail + moreKeys(enabled.length),
        };
        sentences.set(link, { scope, phrase: relax.phrase, oldPerMin: relax.oldPerMin });
        links.set(c.id, link);
        continue;
      }
    }
    if (c.kind === "key" && (c.action === "create" || c.action === "rotate")) {
      const fresh = [c.targetId, ...c.keyHashes].filter((k, i, a) => a.indexOf(k) === i).map((k) => traffic.byKind.key.get(k)).filter((g): g is GroupData => !!g && g.countB === 0 && g.countI > 0);
      if (fresh.length) links.set(c.id, { changeId: c.id, reason: "new_key", keyHashes: fresh.map((g) => g.id) });
      continue;
    }
    if (c.kind === "oauth_client" && c.action === "create") {
      const client = traffic.byKind.oauth_client.get(c.targetId);
      if (client && client.countB === 0 && client.countI > 0) {
        links.set(c.id, { changeId: c.id, reason: "new_oauth_client", keyHashes: keys.filter((g) => g.oauthClientIds.includes(c.targetId)).map((g) => g.id) });
      }
      continue;
    }
    // Only a change to this endpoint's own API definition can slow its callers alike; another API's
    // change reaches the endpoint merely through the keys they share.
    if (c.kind === "api" && reachesBy.includes("api") && slowed()) links.set(c.id, { changeId: c.id, reason: "all_callers_slowed", keyHashes: [] });
  }
  return links;
}

const moreKeys = (n: number) => (n > 1 ? ` (+${n - 1} more key${n > 2 ? "s" : ""})` : "");

/** What a link's sentences are made of, besides its keys' labels. */
const sentences = new WeakMap<EnabledLink, { scope: string; phrase: string; oldPerMin?: number }>();

/**
 * Names the keys of links made by linkEnabledTraffic with `keyLabels` (keys without one keep
 * their hash), rewriting their sentences: the engine links by the numbers first and names the keys
 * once their labels have loaded.
 */
export function labelLinks(links: Iterable<EnabledLink>, keyLabels: Record<string, string>): void {
  for (const link of links) {
    const made = sentences.get(link);
    if (!made || !link.keys?.length) continue;
    for (const k of link.keys) {
      k.label = keyLabels[k.keyHash] ?? k.keyHash;
      k.detail = sentence(k, made.scope, made.phrase, made.oldPerMin);
    }
    link.detail = link.keys[0].detail + moreKeys(link.keys.length);
  }
}

/**
 * Share of I's volume, among callers with enough requests in both windows, whose own latency rose
 * (p50 +15% or p99 +20%): "everyone got slower", the signature of a change below the callers.
 */
export function callersSlowedFraction(traffic: IndexedTraffic, minRequests = 5): number {
  let vol = 0, slowedVol = 0;
  for (const g of traffic.byKind.key.values()) {
    if (g.countB < minRequests || g.countI < minRequests) continue;
    const p50b = groupQuantile(g, "B", g.countB, 0.5), p50i = groupQuantile(g, "I", g.countI, 0.5);
    const p99b = groupQuantile(g, "B", g.countB, 0.99), p99i = groupQuantile(g, "I", g.countI, 0.99);
    vol += g.countI;
    if (p50i > 1.15 * p50b || p99i > 1.2 * p99b) slowedVol += g.countI;
  }
  return vol > 0 ? slowedVol / vol : 0;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const fmt = (x: number) => (x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10));
