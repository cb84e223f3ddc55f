// The verdict's sentence and its context. "Nobody did it" is an answer: when no caller, key or
// change explains the spike, the summary says so plainly and points at what else moved at that
// minute — how much every caller slowed, deploys of the upstream, the upstream's own latency
// against the gateway's, errors, and rejections that are not load.
import type { IndexedTraffic } from "./traffic";
import type { PercentileName, Reading, Suspect, Touch, Verdict, VerdictContext } from "./types";
import { groupByCause } from "./cause-groups";
import { causeSentence, hhmm, times } from "./cause-text";
import { changeMinute } from "./touches";

const MIN = 60_000;
/** Deploys this close to t0 are named as what else changed at that minute. */
const DEPLOY_NEAR_MINUTES = 15;

const r2 = (x: number) => Math.round(x * 100) / 100;

export function verdictContext(traffic: IndexedTraffic, touches: Touch[], slowed: { fraction: number; factor: number | null }, start: number): VerdictContext {
  const { B, I } = traffic;
  return {
    callersSlowed: { fraction: r2(slowed.fraction), factor: slowed.factor != null ? r2(slowed.factor) : null },
    load: {
      ratePerMinBefore: r2(B.total / B.nMin), ratePerMinAfter: r2(I.total / I.nMin),
      rejectedPerMinBefore: r2(B.rejected / B.nMin), rejectedPerMinAfter: r2(I.rejected / I.nMin),
    },
    errorRate: { before: B.total > 0 ? r2(B.errors / B.total) : 0, after: I.total > 0 ? r2(I.errors / I.total) : 0 },
    deploys: touches
      .filter((t) => t.change.kind === "deploy" && Math.abs(changeMinute(t.change) - start) <= DEPLOY_NEAR_MINUTES * MIN)
      .map((t) => ({ id: t.change.id, label: t.change.label, at: t.change.changedAt, minutesFromStart: Math.round((t.change.changedAt - start) / MIN) }))
      .sort((a, b) => Math.abs(a.minutesFromStart) - Math.abs(b.minutesFromStart)),
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const perMin = (x: number) => (x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10));
const ms = (x: number) => `${Math.round(x)} ms`;

/** What else moved, as clauses ("the upstream's own p99 rose 180 → 640 ms (Tyk Pump's latency_upstream)"). */
function pointers(c: VerdictContext): string[] {
  const out: string[] = [];
  for (const d of c.deploys.slice(0, 2)) out.push(`the deploy of ${d.label} at ${hhmm(d.at)} (trace backend's service.version)`);
  const s = c.latencySplit;
  if (s?.upstreamBefore != null && s.upstreamAfter != null && s.gatewayBefore != null && s.gatewayAfter != null) {
    const up = s.upstreamAfter / Math.max(1, s.upstreamBefore), gw = s.gatewayAfter / Math.max(1, s.gatewayBefore);
    if (up >= 1.25 && up >= gw) out.push(`the upstream's own p99 rose ${ms(s.upstreamBefore)} → ${ms(s.upstreamAfter)} (Tyk Pump's latency_upstream) while the gateway's own time went ${ms(s.gatewayBefore)} → ${ms(s.gatewayAfter)}`);
    else if (gw >= 1.25) out.push(`the gateway's own time rose ${ms(s.gatewayBefore)} → ${ms(s.gatewayAfter)} while the upstream's p99 went ${ms(s.upstreamBefore)} → ${ms(s.upstreamAfter)}`);
  }
  if (c.errorRate.after >= 0.01 && c.errorRate.after >= 2 * c.errorRate.before) out.push(`5xx rose ${pct(c.errorRate.before)} → ${pct(c.errorRate.after)} of served requests`);
  const { rejectedPerMinBefore: rb, rejectedPerMinAfter: ra } = c.load;
  if (ra >= 1 && ra >= 2 * rb) out.push(`requests Tyk rejected (429/403) rose ${perMin(rb)} → ${perMin(ra)}/min, which never reached the upstream`);
  return out;
}

function nobody(rest: Suspect[], p: PercentileName, qB: number, qI: number, c: VerdictContext | null, start: number): string {
  const slowedAll = c && c.callersSlowed.fraction >= 0.7 && c.callersSlowed.factor != null;
  const what = slowedAll ? `all callers slowed ${times(c!.callersSlowed.factor!)} at ${hhmm(start)}` : `${p} rose from ${ms(qB)} to ${ms(qI)} at ${hhmm(start)}`;
  const { ratePerMinBefore: lb, ratePerMinAfter: la } = c?.load ?? { ratePerMinBefore: 0, ratePerMinAfter: 0 };
  const load = !c ? "" : la < 1.2 * lb ? " with the same load" : ` while the served load rose ${perMin(lb)} → ${perMin(la)}/min`;
  const more = c ? pointers(c) : [];
  const look = c?.deploys.length ? "look at that deploy or the upstream" : "look at the upstream or a deploy";
  // A key and its identity often share a label and a share: name each once.
  const closest = [...new Map(rest.filter((s) => s.share.point >= 0.005).map((s) => [s.label, s] as const)).values()]
    .slice(0, 3).map((s) => `${s.label} (${pct(s.share.point)})`).join(", ");
  return `No caller, key or access change explains this; ${what}${load} — ${look}.${more.length ? ` What else changed then: ${more.join("; ")}.` : ""}${closest ? ` Closest, not significant: ${closest}.` : ""}`;
}

export function summarise(sig: Suspect[], rest: Suspect[], reading: Reading, p: PercentileName, qB: number, qI: number, c: VerdictContext | null, start: number): Verdict["summary"] {
  if (!sig.length) return nobody(rest, p, qB, qI, c, start);
  const what =
    reading === "mix" ? "the mix of callers changed (someone's volume of slow requests grew)"
    : reading === "slowdown" ? "callers alike got slower (look at deploys, upstreams, or a noisy neighbour)"
    : "partly a change in the mix of callers, partly a general slowdown";
  // One sentence per cause (a change, the key it let in and its identity are one); a broad group
  // is named as context once, beside the first cause it holds.
  const named = new Set<string>();
  const lines = groupByCause(sig).slice(0, 3).map((g) => {
    const group = g.lead.evidence.within?.id;
    const first = group != null && !named.has(group);
    if (group != null) named.add(group);
    return causeSentence(g, p, c, first);
  });
  return `${p} rose from ${ms(qB)} to ${ms(qI)} at ${hhmm(start)}; ${what}. ${lines.join(" ")}`;
}
