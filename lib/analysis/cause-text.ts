// One cause (see cause-groups.ts) as one plain sentence: who did what, when, what followed, and
// how much of the rise it explains — units on every rate and limit, the interval in brackets,
// no test statistics (those are one click away in the console).
import type { CauseGroup } from "./cause-groups";
import type { EnabledKey, PercentileName, Suspect, VerdictContext } from "./types";

const pct = (x: number) => `${Math.min(100, Math.max(0, Math.round(x * 100)))}%`;
const count = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10).toLocaleString("en-US");
export const times = (x: number) => `×${x >= 10 ? Math.round(x) : Math.round(x * 10) / 10}`;
/** UTC wall time to the minute, zone named ("09:12 UTC"): the console's links and pages default to UTC too. */
export const hhmm = (t: number) => `${new Date(t).toISOString().slice(11, 16)} UTC`;

/** A limit held per minute, said in the unit it was most likely set in (Tyk's `per` is usually 1 s or 60 s). */
export function limitText(perMin: number): string {
  const perSec = perMin / 60;
  return perSec >= 1 && Math.abs(perSec - Math.round(perSec)) < 1e-9 ? `${count(perSec)} requests per second` : `${count(perMin)} requests per minute`;
}

/** "from 100 to 2,000 requests per second": the unit once when both limits share it. */
export function limitRange(oldPerMin: number, newPerMin: number): string {
  const a = limitText(oldPerMin), b = limitText(newPerMin);
  const unit = (t: string) => t.slice(t.indexOf(" "));
  return unit(a) === unit(b) ? `from ${a.slice(0, a.indexOf(" "))} to ${b}` : `from ${a} to ${b}`;
}

const KIND_WORD: Record<string, string> = { user_type: "user type", policy: "policy", key: "key", api: "API definition", oauth_client: "OAuth client", identity: "identity" };

/** "90% CI 95–96%": the share's interval, compact. */
export const interval = (s: Pick<Suspect, "share">) => `90% CI ${pct(s.share.lo).slice(0, -1)}–${pct(s.share.hi)}`;
const explains = (s: Suspect, p: PercentileName) => `${pct(s.share.point)} of the ${p} rise (${interval(s)})`;

/** "ada@acme.test raised partner-gold's rate limit from 100 to 2,000 requests per second at 09:21 UTC". */
function changeClause(c: Suspect): string {
  const who = c.actor ?? "Someone (no audit log entry)";
  const when = c.changedAt != null ? ` at ${hhmm(c.changedAt)}` : "";
  const e = c.evidence.enables;
  if (e?.oldLimitPerMin != null && e.newLimitPerMin != null && e.newLimitPerMin > e.oldLimitPerMin) {
    return `${who} raised ${c.label}'s rate limit ${limitRange(e.oldLimitPerMin, e.newLimitPerMin)}${when}`;
  }
  const r = e?.relaxed ?? [];
  if (r.includes("rate") || r.includes("api_limit") || r.includes("endpoint_limit")) return `${who} relaxed ${c.label}'s rate limit${when}`;
  if (r.includes("quota")) return `${who} raised ${c.label}'s quota${when}`;
  if (r.includes("access")) return `${who} granted ${c.label} access to this API${when}`;
  if (e?.reason === "new_key" || e?.reason === "new_oauth_client") return `${who} created ${c.label}${when}`;
  return `${who} changed ${c.label}${when}`;
}

/** What the first enabled key did after the change, with its rate per minute. */
function followed(k: EnabledKey, under: string, more: number): string {
  const m = k.minutesAfterChange;
  const later = m == null ? "then " : m === 0 ? "within a minute " : `${m} min later `;
  const who = `${k.label}${more ? ` and ${more} other key${more === 1 ? "" : "s"}` : ""} (${under})`;
  const rate = `${count(k.ratePerMinBefore)} to ${count(k.ratePerMinAfter)} requests per minute`;
  if (k.evidence === "rejections_stopped") return `${later}Tyk stopped rejecting ${who}, whose served requests went from ${rate}`;
  return `${later}${who} went from ${rate}`;
}

const MECHANISM_SUBJECT: Record<string, string> = {
  volume: "its slow requests", own_latency: "its slower requests", noisy_neighbour: "its load on the upstream", enabled_traffic: "its requests",
};

/** How the keys a change let in relate to it, as the enabled-by detail says it. */
function scopeOf(c: Suspect, e: NonNullable<Suspect["evidence"]["enables"]>): string {
  if (e.reason === "new_oauth_client") return `using ${c.label}`;
  if (e.keys?.[0]?.keyHash === e.keyHashes[0] && e.reason === "new_key") return "the new key";
  return `under ${c.label}`;
}

function chainSentence(g: CauseGroup<Suspect>, p: PercentileName): string {
  const c = g.lead, e = c.evidence.enables!;
  const key = g.also.find((s) => s.kind === "key");
  const first = e.keys?.[0];
  if (!first) {
    // A created key or OAuth client: its own rates say what followed.
    const caller = g.also.find((s) => s.kind === "key" || s.kind === "oauth_client");
    if (!caller) return `${changeClause(c)}, letting in traffic that explains ${explains(c, p)}`;
    const r = caller.evidence;
    return `${changeClause(c)}; it went from ${count(r.ratePerMinBefore)} to ${count(r.ratePerMinAfter)} requests per minute, and ${MECHANISM_SUBJECT[caller.mechanism] ?? "its requests"} explain ${explains(caller, p)}`;
  }
  const more = (e.keys?.length ?? 1) - 1;
  const subject = MECHANISM_SUBJECT[key?.mechanism ?? ""] ?? "its requests";
  return `${changeClause(c)}; ${followed(first, scopeOf(c, e), more)}, and ${more ? subject.replace(/^its /, "their ") : subject} explain ${explains(key ?? c, p)}`;
}

function callerSentence(g: CauseGroup<Suspect>, p: PercentileName, withGroup: boolean): string {
  const s = g.lead;
  const others = g.also.filter((a) => a.label !== s.label || a.kind === "policy").map((a) => `${KIND_WORD[a.kind] ?? a.kind} ${a.label}`);
  const who = `${KIND_WORD[s.kind] ?? s.kind} ${s.label}${others.length ? ` (${others.join(", ")})` : ""}`;
  const e = s.evidence;
  const what =
    s.mechanism === "volume" ? `sent more slow requests (from ${count(e.ratePerMinBefore)} to ${count(e.ratePerMinAfter)} per minute)`
    : s.mechanism === "noisy_neighbour" ? `sent ${count(e.ratePerMinAfter)} requests per minute (was ${count(e.ratePerMinBefore)}), a load that slowed everyone else`
    : s.mechanism === "own_latency" ? "got slower"
    : "sent the requests that slowed";
  const w = withGroup ? e.within : undefined;
  const under = w ? (w.otherKeys > 0 ? ` — under ${w.label}, whose other keys add ${pct(w.othersAdd)}` : "") : "";
  return `${who} ${what} and explains ${explains(s, p)}${under}`;
}

export const ANOMALY_METRIC: Record<string, string> = { p99: "p99", volume: "volume", error_rate: "error rate" };

/** What a user type did, from its suspect's rates or p99s: "got ×4 slower" / "sent ×3 more requests" (the API's suspect JSON reads it too). */
export function typeChange(s: { mechanism: string; evidence: { ratePerMinBefore?: number; ratePerMinAfter?: number; p99Before: number | null; p99After: number | null } }): string {
  const e = s.evidence;
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? `${times(a / b)} ` : "");
  return s.mechanism === "volume" ? `sent ${ratio(e.ratePerMinAfter, e.ratePerMinBefore)}more requests` : `got ${ratio(e.p99After, e.p99Before)}slower`;
}

/** "Callers of type Policy partner-gold got ×4 slower (flagged by …)", with the anomaly that made the type a suspect. */
function typeSentence(s: Suspect, p: PercentileName): string {
  const a = s.evidence.anomaly;
  const flagged = a ? ` (flagged by the ${ANOMALY_METRIC[a.metric] ?? a.metric} anomaly at ${hhmm(a.hour)}${a.factor != null ? `, ${times(a.factor)} its baseline` : ""})` : "";
  return `Callers of type ${s.label} ${typeChange(s)}${flagged} and explain ${explains(s, p)}`;
}

function changeSentence(s: Suspect, p: PercentileName, c: VerdictContext | null): string {
  if (s.kind === "deploy") {
    const f = c?.callersSlowed.factor;
    return `the deploy of ${s.label} at ${hhmm(s.changedAt!)} coincides with a slowdown of all callers${f != null ? ` (${times(f)})` : ""}: it explains ${explains(s, p)}`;
  }
  return `${changeClause(s)}; callers alike slowed right after, which explains ${explains(s, p)}`;
}

const cap = (t: string) => `${t.charAt(0).toUpperCase()}${t.slice(1)}`;

/** One cause as a sentence, full stop included (a change's starts with its actor, as written). `withGroup`: name its broad group as context. */
export function causeSentence(g: CauseGroup<Suspect>, p: PercentileName, c: VerdictContext | null, withGroup: boolean): string {
  const s = g.lead;
  if (s.kind === "access_change" && s.evidence.enables?.keyHashes.length) return `${chainSentence(g, p)}.`;
  if (s.kind === "deploy") return `${cap(changeSentence(s, p, c))}.`;
  if (s.kind === "access_change") return `${changeSentence(s, p, c)}.`;
  if (s.kind === "user_type") return `${typeSentence(s, p)}.`;
  return `${cap(callerSentence(g, p, withGroup))}.`;
}
