// The hygiene rules: what makes a key, OAuth client, policy, console token or stored secret worth
// a look, each as a flag that explains itself in one line. Pure: the keys list evaluates the same
// predicates in SQL (lib/hygiene/keys.ts) for sorting and counting at scale; an integration test
// holds the two to the same answers.

export type HygieneKind = "keys" | "oauth" | "policies" | "tokens" | "secrets";

export const FLAG_LABELS = {
  never_expires: "never expires",
  expired: "expired, not deleted",
  rotation_due: "rotation due",
  unused: "unused",
  no_owner: "no owner",
  over_broad: "over-broad",
  no_keys: "no keys",
  reseal_pending: "sealed with old key",
} as const;
export type FlagId = keyof typeof FLAG_LABELS;

/** The flags each kind can carry, in display order. */
export const KIND_FLAGS: Record<HygieneKind, readonly FlagId[]> = {
  keys: ["never_expires", "expired", "rotation_due", "unused", "no_owner", "over_broad"],
  oauth: ["rotation_due", "unused", "no_owner"],
  policies: ["no_keys", "unused", "over_broad"],
  tokens: ["never_expires", "rotation_due", "unused"],
  secrets: ["rotation_due", "reseal_pending"],
};

export interface Flag {
  id: FlagId;
  /** One line: what was found and why it matters. */
  text: string;
}

export interface RuleContext {
  now: Date;
  rotationDays: number;
  unusedDays: number;
  /** The first day request records cover (null: none at all: usage flags are not raised). */
  usageFrom: Date | null;
}

const DAY = 86_400_000;
const days = (ms: number) => Math.floor(ms / DAY);
const ageDays = (at: Date, now: Date) => days(now.getTime() - at.getTime());
/** "1 day", "4 days". */
const dayCount = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

export function rotationCutoff(c: RuleContext): Date {
  return new Date(c.now.getTime() - c.rotationDays * DAY);
}
export function unusedCutoff(c: RuleContext): Date {
  return new Date(c.now.getTime() - c.unusedDays * DAY);
}

/** "in the last 30 days", or — while records cover less than that — "since request records begin (4 days ago)". */
export function usageSpan(c: RuleContext): string {
  if (!c.usageFrom || c.usageFrom <= unusedCutoff(c)) return `in the last ${dayCount(c.unusedDays)}`;
  return `since request records begin (${dayCount(ageDays(c.usageFrom, c.now))} ago)`;
}

function rotationFlag(what: string, at: Date, c: RuleContext): Flag | null {
  if (at >= rotationCutoff(c)) return null;
  return { id: "rotation_due", text: `${what} ${dayCount(ageDays(at, c.now))} ago; the rotation period is ${dayCount(c.rotationDays)}` };
}

function unusedFlag(createdAt: Date, lastUsedAt: Date | null, c: RuleContext, what = "No requests"): Flag | null {
  if (!c.usageFrom || createdAt >= unusedCutoff(c) || (lastUsedAt && lastUsedAt >= unusedCutoff(c))) return null;
  return { id: "unused", text: `${what} ${usageSpan(c)}${lastUsedAt ? ` (last ${dayCount(ageDays(lastUsedAt, c.now))} ago)` : ""}: delete it if nobody needs it` };
}

export interface KeyFacts {
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  identityId: string | null;
  apiIds: string[];
  calledApiIds: string[];
}

/** APIs granted but not called (null when the key was not used in the window: then it is "unused", not over-broad). */
export function uncalledApis(k: Pick<KeyFacts, "lastUsedAt" | "apiIds" | "calledApiIds">, c: RuleContext): string[] | null {
  if (!c.usageFrom || !k.lastUsedAt || k.lastUsedAt < unusedCutoff(c)) return null;
  const called = new Set(k.calledApiIds);
  return k.apiIds.filter((a) => !called.has(a));
}

export function keyFlags(k: KeyFacts, c: RuleContext, apiName: (id: string) => string = (id) => id): Flag[] {
  const out: (Flag | null)[] = [
    k.expiresAt ? null : { id: "never_expires", text: "Has no expiry: a leaked copy works until someone deletes the key" },
    k.expiresAt && k.expiresAt <= c.now ? { id: "expired", text: `Expired ${dayCount(ageDays(k.expiresAt, c.now))} ago but still in Tyk: delete it` } : null,
    rotationFlag("Created", k.createdAt, c),
    unusedFlag(k.createdAt, k.lastUsedAt, c),
    k.identityId ? null : { id: "no_owner", text: "No owner: its alias, meta_data and tags name no person or service" },
  ];
  const uncalled = uncalledApis(k, c);
  if (uncalled?.length) {
    out.push({ id: "over_broad", text: `Grants ${uncalled.length} API${uncalled.length === 1 ? "" : "s"} it has not called ${usageSpan(c)}: ${uncalled.map(apiName).join(", ")}` });
  }
  return out.filter((f): f is Flag => f !== null);
}

export function oauthFlags(o: { secretSince: Date; secretRotated: boolean; createdAt: Date; lastUsedAt: Date | null; owner: string | null }, c: RuleContext): Flag[] {
  return [
    rotationFlag(o.secretRotated ? "Secret regenerated" : "Secret unchanged since the client was first seen", o.secretSince, c),
    unusedFlag(o.createdAt, o.lastUsedAt, c, "No requests through this client"),
    o.owner ? null : { id: "no_owner", text: "No owner: its meta_data names no person or service" },
  ].filter((f): f is Flag => f !== null);
}

export function policyFlags(p: { keys: number; usedKeys: number; apiIds: string[]; calledApiIds: string[]; createdAt: Date }, c: RuleContext, apiName: (id: string) => string = (id) => id): Flag[] {
  if (!p.keys) return [{ id: "no_keys", text: "No key uses this policy: delete it, or keep it on purpose as a template" }];
  if (!c.usageFrom) return [];
  if (!p.usedKeys) {
    return p.createdAt < unusedCutoff(c) ? [{ id: "unused", text: `None of its ${p.keys} key${p.keys === 1 ? "" : "s"} made a request ${usageSpan(c)}` }] : [];
  }
  const called = new Set(p.calledApiIds);
  const uncalled = p.apiIds.filter((a) => !called.has(a));
  return uncalled.length ? [{ id: "over_broad", text: `Grants ${uncalled.map(apiName).join(", ")}, which none of its keys called ${usageSpan(c)}` }] : [];
}

export function tokenFlags(t: { createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null }, c: RuleContext): Flag[] {
  return [
    t.expiresAt ? null : { id: "never_expires", text: "Console API token without expiry: revoke it and create one that expires" },
    rotationFlag("Created", t.createdAt, c),
    t.createdAt < unusedCutoff(c) && (!t.lastUsedAt || t.lastUsedAt < unusedCutoff(c))
      ? { id: "unused", text: `Not used in the last ${dayCount(c.unusedDays)}${t.lastUsedAt ? ` (last ${dayCount(ageDays(t.lastUsedAt, c.now))} ago)` : " (never used)"}: revoke it` }
      : null,
  ].filter((f): f is Flag => f !== null);
}

export function secretFlags(s: { changedAt: Date; resealPending: boolean }, c: RuleContext): Flag[] {
  return [
    rotationFlag("Stored", s.changedAt, c),
    s.resealPending ? { id: "reseal_pending", text: "Sealed with TOUCHLINE_ENCRYPTION_KEY_PREVIOUS: run npm run secrets:rotate to re-seal it" } : null,
  ].filter((f): f is Flag => f !== null);
}
