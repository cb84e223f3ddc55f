// Pure: the Keys page's filters live in the URL. Parsing is lenient (a bad value is dropped, not
// an error page) and `keyWhere` turns them into one Prisma filter so paging happens in SQL.
import type { Prisma } from "@/lib/generated/prisma/client";
import { likeLiteral } from "@/lib/queries/like";

export const AGE_OPTIONS = { "7d": "created in the last 7 days", "30d": "created in the last 30 days", "90d+": "older than 90 days", "365d+": "older than a year" } as const;
export const EXPIRY_OPTIONS = { expired: "expired", soon: "expiring within 7 days", later: "expires later", never: "never expires" } as const;
export type AgeFilter = keyof typeof AGE_OPTIONS;
export type ExpiryFilter = keyof typeof EXPIRY_OPTIONS;

export interface KeyFilters {
  policy?: string;
  identity?: string;
  age?: AgeFilter;
  expiry?: ExpiryFilter;
  /** Alias or last-4 text. */
  q?: string;
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [25, 50, 100] as const;
const DAY = 86_400_000;

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function one(params: Params, name: string): string | undefined {
  const v = params instanceof URLSearchParams ? (params.get(name) ?? undefined) : params[name];
  const s = Array.isArray(v) ? v[0] : v;
  const t = s?.trim();
  return t ? t.slice(0, 200) : undefined;
}

export function parseKeyFilters(params: Params): KeyFilters {
  const age = one(params, "age");
  const expiry = one(params, "expiry");
  const page = Number.parseInt(one(params, "page") ?? "1", 10);
  const size = Number.parseInt(one(params, "size") ?? "50", 10);
  return {
    policy: one(params, "policy"),
    identity: one(params, "identity"),
    age: age && age in AGE_OPTIONS ? (age as AgeFilter) : undefined,
    expiry: expiry && expiry in EXPIRY_OPTIONS ? (expiry as ExpiryFilter) : undefined,
    q: one(params, "q"),
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, 10_000) : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

/** Query string for `filters` with `patch` applied; a filter change goes back to page 1. */
export function keyFiltersSearch(filters: KeyFilters, patch: Partial<KeyFilters> = {}): string {
  const next = { ...filters, ...(Object.keys(patch).some((k) => k !== "page") ? { page: 1 } : {}), ...patch };
  const sp = new URLSearchParams();
  for (const k of ["q", "policy", "identity", "age", "expiry"] as const) if (next[k]) sp.set(k, String(next[k]));
  if (next.page > 1) sp.set("page", String(next.page));
  if (next.pageSize !== 50) sp.set("size", String(next.pageSize));
  const s = sp.toString();
  return s ? `?${s}` : "";
}

/** A key's created time: Tyk's date_created when known, else when the sync first saw it. */
const created = (range: Prisma.DateTimeFilter): Prisma.KeyWhereInput => ({
  OR: [{ tykCreatedAt: range }, { tykCreatedAt: null, firstSeenAt: range }],
});

export function keyWhere(f: KeyFilters, now: Date): Prisma.KeyWhereInput {
  const t = now.getTime();
  const and: Prisma.KeyWhereInput[] = [{ deletedAt: null }];
  if (f.policy) and.push({ policyIds: { has: f.policy } });
  if (f.identity) and.push({ identityId: f.identity });
  if (f.q) and.push({ OR: [{ alias: { contains: likeLiteral(f.q), mode: "insensitive" } }, { last4: f.q }] });
  if (f.age === "7d") and.push(created({ gte: new Date(t - 7 * DAY) }));
  if (f.age === "30d") and.push(created({ gte: new Date(t - 30 * DAY) }));
  if (f.age === "90d+") and.push(created({ lt: new Date(t - 90 * DAY) }));
  if (f.age === "365d+") and.push(created({ lt: new Date(t - 365 * DAY) }));
  if (f.expiry === "expired") and.push({ expiresAt: { lte: now } });
  if (f.expiry === "soon") and.push({ expiresAt: { gt: now, lte: new Date(t + 7 * DAY) } });
  if (f.expiry === "later") and.push({ expiresAt: { gt: new Date(t + 7 * DAY) } });
  if (f.expiry === "never") and.push({ expiresAt: null });
  return { AND: and };
}

export type ExpiryState = "expired" | "soon" | "ok" | "never";

export function expiryState(expiresAt: Date | null, now: Date): ExpiryState {
  if (!expiresAt) return "never";
  const ms = expiresAt.getTime() - now.getTime();
  if (ms <= 0) return "expired";
  return ms <= 7 * DAY ? "soon" : "ok";
}
