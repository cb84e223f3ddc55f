// "Enabled by": links an access change to the traffic it made possible, so the change can inherit
// the share of the excess that traffic explains (its removal share and interval are computed over
// the union of the linked keys' requests).
//
// A change links the keys under it (a policy's keys, a key, or every caller of the endpoint for a
// change to its API definition) whose traffic, split at the change's minute,
//   - stopped being rejected: Tyk answered most of its attempts 429/403 just before the change and
//     served them just after it (strongest: the gateway itself shows the change letting the traffic
//     through — whatever the diff says, so it also links changes only the audit log knows, or
//     whose diff is not read as a relaxation),
// and, for changes that relaxed access (relaxation.ts: a policy or key's rate/per or quota raised
// or access granted; an API's own or this endpoint's rate limit raised or removed),
//   - exceeds the old limit afterwards (that rate was impossible before the change),
//   - started after it (no request before, ≥ minRequests after), or
//   - surged after it (rate ≥ minSurge× the rate before, and ≥ 1 req/min more).
// Why not only "past the old limit": a limit is not only a ceiling on the average. A caller whose
// batch job is gated on its plan (or whose own client throttles to a fraction of the limit, or
// whose traffic was shed by Tyk's burst smoothing) starts or multiplies its traffic right after a
// raise yet stays far below the old limit; the demo's globex-batch sends ~46 req/min after a
// 100 → 2000 req/s raise. Timing is then the evidence, which is weaker, so the links say which
// kind of evidence they rest on and the strongest ranks first.
// Time order matters: traffic already there before the change (at the same rate) was not enabled by
// it, so the "before" rate is measured on the minutes before the change, not on all of B; a change
// inside a minute counts from that minute (t0 is a whole minute).
import type { AccessChange, EnabledKey, EnabledLink, Touch } from "./types";
import type { GroupData, IndexedTraffic } from "./traffic";
import { keyLatencies, weightedMedian } from "./caller-latency";
import { relaxationOf } from "./relaxation";
import { changeMinute } from "./touches";
import { around, firstMinuteAfter, rejectionsAround, type Around } from "./around";

export { limitChange, relaxationOf, type RelaxationFound } from "./relaxation";

const MIN = 60_000;

export interface LinkOptions {
  /** Minimum rate growth factor for a key's rate past the old limit to count (it must also have grown). */
  minGrowth?: number;
  /** Minimum growth factor for a key's surge after a relaxing change to count without passing the old limit. */
  minSurge?: number;
  /** Requests after the change a key that had none before needs to count as started by it. */
  minRequests?: number;
  /** Fraction of I's steady-caller volume that must have slowed to link an API definition change or a deploy. */
  slowedFraction?: number;
  /** The endpoint's API: "access granted" only counts for it. */
  apiId?: string;
  /** The endpoint's method and path template: an API's per-endpoint rate limit only counts for it. */
  endpoint?: { method: string; path: string };
  /** Spike start t0: a change that slowed callers alike must come shortly before it. */
  start?: number;
  /** Most minutes before t0 a change may come to be linked to callers alike slowing. */
  maxSlowdownLeadMinutes?: number;
  /** Key labels for the evidence sentence (key hashes are never shown). */
  keyLabels?: Record<string, string>;
}

type Thresholds = Required<Pick<LinkOptions, "minGrowth" | "minSurge" | "minRequests">>;

const EVIDENCE_ORDER = { rejections_stopped: 0, past_old_limit: 1, started: 2, surged: 3 } as const;
const REASON = {
  rejections_stopped: "rejections_stopped_after_change", past_old_limit: "rate_past_old_limit",
  started: "traffic_started_after_limit_raised", surged: "rate_rose_after_limit_raised",
} as const;

interface KeyContext {
  at: number;
  oldPerMin?: number;
  label: string;
  /** "under partner-gold", "the changed key" or "calling this API". */
  scope: string;
  phrase: string;
}

function timingEvidence(a: Around, x: KeyContext, o: Thresholds): EnabledKey["evidence"] | null {
  const { rateBefore: rb, rateAfter: ra } = a, gain = ra - rb >= 1;
  if (x.oldPerMin != null && ra > x.oldPerMin && ra >= o.minGrowth * rb && gain) return "past_old_limit";
  if (a.countBefore === 0 && a.countAfter >= o.minRequests) return "started";
  if (ra >= o.minSurge * rb && gain) return "surged";
  return null;
}

function enabledKey(g: GroupData, traffic: IndexedTraffic, x: KeyContext, c: AccessChange, relaxing: boolean, o: Thresholds): EnabledKey | null {
  const r = canStopRejections(c) ? rejectionsAround(g, traffic, x.at) : null;
  const a = around(g, traffic, x.at);
  const evidence: EnabledKey["evidence"] | null = r ? "rejections_stopped" : relaxing && a ? timingEvidence(a, x, o) : null;
  if (!evidence || !a) return null;
  const rb = r ? r.servedRateBefore : a.rateBefore, ra = r ? r.servedRateAfter : a.rateAfter;
  const onset = evidence === "started" || evidence === "rejections_stopped"
    ? firstMinuteAfter(a, (n) => n > 0)
    : firstMinuteAfter(a, (n) => n >= o.minSurge * rb && n - rb >= 1);
  const k: Omit<EnabledKey, "detail"> = {
    keyHash: g.id, label: x.label, evidence, ratePerMinBefore: round(rb), ratePerMinAfter: round(ra),
    ...(r ? { rejectedShareBefore: round(r.shareBefore), rejectedShareAfter: round(r.shareAfter) } : {}),
    minutesAfterChange: onset != null ? Math.max(0, Math.round((onset - x.at) / MIN)) : null,
  };
  return { ...k, detail: sentence(k, x.scope, x.phrase, x.oldPerMin) };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function sentence(k: Omit<EnabledKey, "detail">, under: string, phrase: string, oldPerMin: number | undefined): string {
  const when = k.minutesAfterChange != null ? `${k.minutesAfterChange} min after` : "after";
  switch (k.evidence) {
    case "rejections_stopped":
      return `${k.label} (${under}) had ${pct(k.rejectedShareBefore ?? 0)} of its requests rejected by Tyk (429/403) before ${phrase} and ${pct(k.rejectedShareAfter ?? 0)} after it; its served requests rose ${fmt(k.ratePerMinBefore)} → ${fmt(k.ratePerMinAfter)}/min ${when} it (strongest evidence: the gateway let them through from then on)`;
    case "past_old_limit":
      return `${k.label} (${under}) ran at ${fmt(k.ratePerMinAfter)}/min after ${phrase}, past the old limit of ${fmt(oldPerMin!)}/min (strongest evidence: impossible before the change)`;
    case "started":
      return `${k.label} (${under}) started ${when} ${phrase}`;
    case "surged":
      return `${k.label} (${under}) surged ${fmt(k.ratePerMinBefore)} → ${fmt(k.ratePerMinAfter)}/min ${when} ${phrase}`;
  }
}

/** The keys a change can have enabled: under the policy, the key itself, or every caller for the endpoint's own API. */
function keysUnder(c: AccessChange, touch: Touch, keys: GroupData[]): GroupData[] {
  if (c.kind === "policy") return keys.filter((g) => g.policyIds.includes(c.targetId) || c.keyHashes.includes(g.id));
  if (c.kind === "key") return keys.filter((g) => g.id === c.targetId || c.keyHashes.includes(g.id));
  if (c.kind === "oauth_client") return keys.filter((g) => g.oauthClientIds.includes(c.targetId));
  if (c.kind === "api" && touch.reachesBy.includes("api")) return keys;
  return [];
}

function scopeOf(c: AccessChange): string {
  return c.kind === "policy" ? `under ${c.label}` : c.kind === "key" ? "the changed key" : c.kind === "oauth_client" ? `using ${c.label}` : "calling this API";
}

/** Only an update can stop rejections of traffic that was there (a create has no traffic before it; a delete, revoke or rotation ends it). */
const canStopRejections = (c: AccessChange) => c.action === "update";

/** For each change touch, the traffic it enabled (changes with no link are absent). */
export function linkEnabledTraffic(touches: Touch[], traffic: IndexedTraffic, o: LinkOptions = {}): Map<string, EnabledLink> {
  const thresholds = { minGrowth: o.minGrowth ?? 1.5, minSurge: o.minSurge ?? 3, minRequests: o.minRequests ?? 5 };
  const keys = [...traffic.byKind.key.values()];
  const links = new Map<string, EnabledLink>();
  // Four percentiles of every steady key: only worth it when an API definition change or a deploy is in view.
  let slowedMemo: boolean | undefined;
  const slowed = () => (slowedMemo ??= callersSlowedFraction(traffic) >= (o.slowedFraction ?? 0.7));
  const maxLead = (o.maxSlowdownLeadMinutes ?? 15) * MIN;

  for (const touch of touches) {
    const c = touch.change;
    const relax = relaxationOf(c, o.apiId, o.endpoint);
    const at = changeMinute(c);
    // Rejections are checked on keys that had any; timing evidence on every key under a relaxing change.
    const under = keysUnder(c, touch, keys).filter((g) => relax || (canStopRejections(c) && g.rejectedB + g.rejectedI > 0));
    if (under.length) {
      const x = (g: GroupData): KeyContext => ({
        at, oldPerMin: c.kind === "api" ? undefined : relax?.oldPerMin, label: o.keyLabels?.[g.id] ?? g.id, scope: scopeOf(c),
        phrase: relax?.phrase ?? `${c.label} was changed`,
      });
      const enabled = under
        .map((g) => enabledKey(g, traffic, x(g), c, relax != null, thresholds))
        .filter((k): k is EnabledKey => k != null)
        .sort((a, b) => EVIDENCE_ORDER[a.evidence] - EVIDENCE_ORDER[b.evidence] || b.ratePerMinAfter - b.ratePerMinBefore - (a.ratePerMinAfter - a.ratePerMinBefore));
      if (enabled.length) {
        const top = enabled[0];
        const link: EnabledLink = {
          changeId: c.id, reason: REASON[top.evidence], keyHashes: enabled.map((k) => k.keyHash),
          ...(relax?.oldPerMin != null ? { oldLimitPerMin: round(relax.oldPerMin) } : {}),
          ...(relax?.newPerMin != null ? { newLimitPerMin: round(relax.newPerMin) } : {}),
          ...(relax ? { relaxed: relax.relaxed } : {}), keys: enabled,
          detail: top.detail + moreKeys(enabled.length),
        };
        sentences.set(link, { scope: scopeOf(c), phrase: relax?.phrase ?? `${c.label} was changed`, oldPerMin: c.kind === "api" ? undefined : relax?.oldPerMin });
        links.set(c.id, link);
        continue;
      }
    }
    if (c.kind === "key" && (c.action === "create" || c.action === "rotate")) {
      // A rotation's new key carries its old key's traffic on (lineage.ts): it is new only when nothing came before it.
      const fresh = [c.targetId, ...c.keyHashes].filter((k, i, a) => a.indexOf(k) === i).map((k) => traffic.byKind.key.get(k))
        .filter((g): g is NonNullable<typeof g> => !!g && g.countB === 0 && g.rejectedB === 0 && g.countI > 0);
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
    // Only a change to this endpoint's own API definition, or a deploy of its upstream, can slow its
    // callers alike (another API's change reaches the endpoint merely through the keys they share);
    // and only one shortly before the slowdown: an older one was already in the baseline.
    const below = (c.kind === "api" && touch.reachesBy.includes("api")) || (c.kind === "deploy" && touch.reachesBy.includes("service"));
    const recent = o.start == null || (at >= o.start - maxLead && !touch.afterSpikeStart);
    if (below && recent && slowed()) links.set(c.id, { changeId: c.id, reason: "all_callers_slowed", keyHashes: [] });
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
  return callersSlowed(traffic, minRequests).fraction;
}

/** callersSlowedFraction, and the volume-weighted median p50 ratio of the slowed callers (null when none slowed). */
export function callersSlowed(traffic: IndexedTraffic, minRequests = 5): { fraction: number; factor: number | null } {
  const keys = keyLatencies(traffic, minRequests);
  const slowed = keys.filter((k) => k.p50I > 1.15 * k.p50B || k.p99I > 1.2 * k.p99B);
  const vol = keys.reduce((s, k) => s + k.g.countI, 0), slowedVol = slowed.reduce((s, k) => s + k.g.countI, 0);
  return { fraction: vol > 0 ? slowedVol / vol : 0, factor: weightedMedian(slowed, (k) => k.p50I / k.p50B) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const fmt = (x: number) => (x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10));
