// Did a policy or key change relax access, and how? Read from the normalised limits of the version
// snapshots when the SQL layer has them, else from the diff's Tyk field names.
import type { AccessChange, RateLimit, Relaxation } from "./types";
import { apiRelaxation } from "./api-limits";

/** Tyk limits are `rate` per `per` seconds; compare everything per minute. */
function perMinute(l: RateLimit | undefined): number | undefined {
  return l && l.per > 0 ? (l.rate / l.per) * 60 : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

const lastSegment = (p: string) => p.split(/[./]/).pop() ?? p;

/** Old and new limits per minute, from normalised limits or else from the diff (rate/per/quota paths). */
export function limitChange(c: AccessChange): { raised: boolean; oldPerMin?: number; newPerMin?: number } {
  let oldPerMin = perMinute(c.limitBefore);
  let newPerMin = perMinute(c.limitAfter);
  let raised = oldPerMin != null && newPerMin != null && newPerMin > oldPerMin;
  const rate = c.diff.find((d) => lastSegment(d.path) === "rate");
  const per = c.diff.find((d) => lastSegment(d.path) === "per");
  if (oldPerMin == null && rate) {
    const perB = num(per?.before), perA = num(per?.after);
    // Without `per` in the diff it did not change; the ratio of the rates is then the ratio of limits.
    if (perB != null) oldPerMin = ((num(rate.before) ?? 0) / perB) * 60;
    if (perA != null) newPerMin = ((num(rate.after) ?? 0) / perA) * 60;
  }
  for (const d of c.diff) {
    const key = lastSegment(d.path);
    if (!["rate", "quota_max", "quota_rate", "per"].includes(key)) continue;
    const b = num(d.before), a = num(d.after);
    if (b == null || a == null) continue;
    // A longer `per` is a tighter limit; -1 means unlimited in Tyk.
    if (key === "per" ? a < b : a === -1 || a > b) raised = true;
  }
  return { raised, oldPerMin, newPerMin };
}

export interface RelaxationFound {
  relaxed: Relaxation[];
  oldPerMin?: number;
  newPerMin?: number;
  /** Readable clause for evidence: "the limit rose 100 → 2000/s", "access to this API was granted". */
  phrase: string;
}

const fmtLimit = (l: RateLimit) => (l.per === 1 ? `${l.rate}/s` : l.per === 60 ? `${l.rate}/min` : `${l.rate} per ${l.per} s`);
const fmtQuota = (v: number) => (v === -1 ? "unlimited" : String(v));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v != null && !Array.isArray(v);
}

/**
 * Access to `apiId` (any of the change's APIs when unknown) granted: a Tyk `access_rights.<api>`
 * entry that did not exist before, or an `access_rights` map that gained the key.
 */
function accessGranted(c: AccessChange, apiId?: string): boolean {
  const wanted = (id: string) => (apiId ? id === apiId : c.apiIds.includes(id));
  return c.diff.some((d) => {
    const parts = d.path.split(/[./]/);
    const i = parts.indexOf("access_rights");
    if (i < 0) return false;
    if (parts.length > i + 1) return i + 2 === parts.length && wanted(parts[i + 1]) && d.before == null && d.after != null;
    const before = isObject(d.before) ? d.before : {}, after = isObject(d.after) ? d.after : {};
    return Object.keys(after).some((id) => wanted(id) && !(id in before));
  });
}

/** How the change relaxed access, or null when it did not (tightening, tags, metadata...). */
export function relaxationOf(c: AccessChange, apiId?: string, endpoint?: { method: string; path: string }): RelaxationFound | null {
  if (c.kind === "api") return apiRelaxation(c, endpoint);
  if (c.kind !== "policy" && c.kind !== "key") return null;
  const lim = limitChange(c);
  const relaxed: Relaxation[] = [];
  const clauses: string[] = [];
  const quota = c.diff.find((d) => lastSegment(d.path) === "quota_max");
  const qB = num(quota?.before), qA = num(quota?.after);
  const quotaUp = qB != null && qA != null && qB !== -1 && (qA === -1 || qA > qB);
  // Only rate and per describe the rate limit; quota fields are judged separately (a quota renewal
  // period is ambiguous across Tyk versions, so it is not read as a relaxation at all).
  const bothLimits = lim.oldPerMin != null && lim.newPerMin != null;
  const unlimited = c.diff.some((d) => lastSegment(d.path) === "rate" && d.after === -1 && d.before !== -1);
  const rateUp = unlimited || (bothLimits ? lim.newPerMin! > lim.oldPerMin! : c.diff.some((d) => {
    const key = lastSegment(d.path), b = num(d.before), a = num(d.after);
    if (b == null || a == null) return false;
    return key === "rate" ? a > b : key === "per" ? a < b && a > 0 : false;
  }));
  if (rateUp) {
    relaxed.push("rate");
    const rate = c.diff.find((d) => lastSegment(d.path) === "rate");
    if (c.limitBefore && c.limitAfter) {
      clauses.push(c.limitBefore.per === c.limitAfter.per
        ? `the limit rose ${c.limitBefore.rate} → ${fmtLimit(c.limitAfter)}`
        : `the limit rose ${fmtLimit(c.limitBefore)} → ${fmtLimit(c.limitAfter)}`);
    } else if (rate) clauses.push(`the rate limit rose ${String(rate.before)} → ${String(rate.after)}`);
    else clauses.push("the rate limit was raised");
  }
  if (quotaUp) {
    relaxed.push("quota");
    clauses.push(`the quota rose ${fmtQuota(qB!)} → ${fmtQuota(qA!)}`);
  }
  if (accessGranted(c, apiId)) {
    relaxed.push("access");
    clauses.push("access to this API was granted");
  }
  if (!relaxed.length) return null;
  return { relaxed, oldPerMin: lim.oldPerMin, newPerMin: lim.newPerMin, phrase: clauses.join(" and ") };
}
