import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { AccessConfig } from "@/lib/access/config";
import { usageFreshness } from "@/lib/sync/usage/rollup";
import { FLAG_LABELS, KIND_FLAGS, type FlagId, type HygieneKind, type RuleContext } from "./flags";
import { KEY_SORTS, keyFlagCounts, keyHygieneBatches, keyHygienePage, type KeyHygieneRow } from "./keys";
import { oauthItems, policyItems, secretItems, tokenItems, type HygieneItem } from "./others";

export const HYGIENE_KINDS = ["keys", "oauth", "policies", "tokens", "secrets"] as const satisfies readonly HygieneKind[];
/** Console tokens and stored secrets are listed to those who manage them (settings:read). */
export const ADMIN_KINDS: readonly HygieneKind[] = ["tokens", "secrets"];

export const hygieneQuery = z.object({
  kind: z.enum(HYGIENE_KINDS).default("keys"),
  flag: z.enum(["any", ...(Object.keys(FLAG_LABELS) as FlagId[])]).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(KEY_SORTS).default("created"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type HygieneQuery = z.infer<typeof hygieneQuery>;

/** What the rules need: thresholds, and how far back request records go. */
export async function ruleContext(db: PrismaClient, config: AccessConfig, now = new Date()): Promise<RuleContext & { usageRefreshedAt: Date | null }> {
  const usage = await usageFreshness(db);
  return { now, rotationDays: config.rotationDays, unusedDays: config.unusedDays, usageFrom: usage?.coverageFrom ?? null, usageRefreshedAt: usage?.refreshedAt ?? null };
}

async function apiNamer(db: PrismaClient): Promise<(id: string) => string> {
  const names = new Map((await db.api.findMany({ select: { id: true, name: true } })).map((a) => [a.id, a.name]));
  return (id) => names.get(id) ?? id;
}

export function keyItem(k: KeyHygieneRow, policyName: (id: string) => string): HygieneItem {
  return {
    id: k.keyHash, label: k.alias ?? `••••${k.last4 ?? ""}`, href: `/keys/${k.keyHash}`, owner: k.identity?.name ?? null, since: k.createdAt,
    lastUsedAt: k.lastUsedAt, requests: k.requests,
    facts: { last4: k.last4, policies: k.policyIds.map(policyName).join(", "), expiresAt: k.expiresAt?.toISOString() ?? null, ownerKind: k.identity?.kind ?? null },
    flags: k.flags,
  };
}

async function itemsOf(db: PrismaClient, kind: Exclude<HygieneKind, "keys">, c: RuleContext): Promise<HygieneItem[]> {
  if (kind === "oauth") return oauthItems(db, c);
  if (kind === "policies") return policyItems(db, c, await apiNamer(db));
  if (kind === "tokens") return tokenItems(db, c);
  return secretItems(db, c);
}

/** A flag that cannot occur on the kind would silently match nothing (or, for keys, everything): refuse it. */
export function checkFlag(q: Pick<HygieneQuery, "kind" | "flag">): void {
  if (q.flag && q.flag !== "any" && !(KIND_FLAGS[q.kind] as readonly string[]).includes(q.flag)) {
    throw new ApiError("bad_request", `flag: ${q.kind} can be flagged ${KIND_FLAGS[q.kind].join(", ")} (or any)`, "flag");
  }
}

function matches(i: HygieneItem, q: Pick<HygieneQuery, "flag" | "q">): boolean {
  if (q.flag === "any" && !i.flags.length) return false;
  if (q.flag && q.flag !== "any" && !i.flags.some((f) => f.id === q.flag)) return false;
  if (q.q) {
    const needle = q.q.toLowerCase();
    return [i.id, i.label, i.owner ?? ""].some((s) => s.toLowerCase().includes(needle));
  }
  return true;
}

function sortItems(items: HygieneItem[], q: HygieneQuery): HygieneItem[] {
  const value = (i: HygieneItem): number | string | null =>
    q.sort === "alias" ? i.label.toLowerCase() : q.sort === "last_used" ? i.lastUsedAt?.getTime() ?? null : q.sort === "requests" ? i.requests : i.since?.getTime() ?? null;
  const sign = q.dir === "asc" ? 1 : -1;
  return [...items].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === y) return a.id.localeCompare(b.id);
    if (x === null) return q.dir === "asc" ? -1 : 1;
    if (y === null) return q.dir === "asc" ? 1 : -1;
    return (x < y ? -1 : 1) * sign;
  });
}

function countsOf(items: HygieneItem[], kind: HygieneKind) {
  return {
    total: items.length,
    flagged: items.filter((i) => i.flags.length).length,
    byFlag: Object.fromEntries(KIND_FLAGS[kind].map((f) => [f, items.filter((i) => i.flags.some((x) => x.id === f)).length])),
  };
}

export interface HygienePage {
  kind: HygieneKind;
  items: HygieneItem[];
  total: number;
  counts: Partial<Record<HygieneKind, { total: number; flagged: number; byFlag: Record<string, number> }>>;
  rules: { rotationDays: number; unusedDays: number; usageFrom: Date | null; usageRefreshedAt: Date | null };
}

/** One kind's page of flagged objects, and the counts of every kind the viewer may see. */
export async function hygienePage(db: PrismaClient, config: AccessConfig, q: HygieneQuery, opts: { adminKinds: boolean }): Promise<HygienePage> {
  if (!opts.adminKinds && ADMIN_KINDS.includes(q.kind)) throw new ApiError("forbidden", "Console tokens and stored secrets are listed to admins (settings:read)");
  checkFlag(q);
  const c = await ruleContext(db, config);
  const kinds = HYGIENE_KINDS.filter((k) => opts.adminKinds || !ADMIN_KINDS.includes(k));
  const [keyCounts, policyName, ...others] = await Promise.all([
    keyFlagCounts(db, c),
    db.policy.findMany({ select: { id: true, name: true } }).then((ps) => { const m = new Map(ps.map((p) => [p.id, p.name])); return (id: string) => m.get(id) ?? id; }),
    ...kinds.filter((k): k is Exclude<HygieneKind, "keys"> => k !== "keys").map(async (k) => [k, await itemsOf(db, k, c)] as const),
  ]);
  const counts: HygienePage["counts"] = { keys: keyCounts };
  const lists = new Map(others);
  for (const [k, items] of lists) counts[k] = countsOf(items, k);
  const rules = { rotationDays: c.rotationDays, unusedDays: c.unusedDays, usageFrom: c.usageFrom, usageRefreshedAt: c.usageRefreshedAt };
  if (q.kind === "keys") {
    const page = await keyHygienePage(db, q as Parameters<typeof keyHygienePage>[1], c, await apiNamer(db));
    return { kind: "keys", items: page.rows.map((k) => keyItem(k, policyName)), total: page.total, counts, rules };
  }
  const filtered = sortItems(lists.get(q.kind)!.filter((i) => matches(i, q)), q);
  return { kind: q.kind, items: filtered.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: filtered.length, counts, rules };
}

/** Every matching object of one kind, in batches (keys in hash order; the others as listed). */
export async function* hygieneExport(db: PrismaClient, config: AccessConfig, q: Pick<HygieneQuery, "kind" | "flag" | "q">): AsyncGenerator<HygieneItem[]> {
  const c = await ruleContext(db, config);
  if (q.kind === "keys") {
    const [apiName, policies] = await Promise.all([apiNamer(db), db.policy.findMany({ select: { id: true, name: true } })]);
    const names = new Map(policies.map((p) => [p.id, p.name]));
    for await (const rows of keyHygieneBatches(db, q as Parameters<typeof keyHygieneBatches>[1], c, apiName)) yield rows.map((k) => keyItem(k, (id) => names.get(id) ?? id));
    return;
  }
  yield (await itemsOf(db, q.kind, c)).filter((i) => matches(i, q));
}

export const HYGIENE_EXPORT_COLUMNS: readonly { header: string; value: (i: HygieneItem) => unknown }[] = [
  { header: "id", value: (i) => i.id },
  { header: "label", value: (i) => i.label },
  { header: "owner", value: (i) => i.owner },
  { header: "since", value: (i) => i.since },
  { header: "last_used_at", value: (i) => i.lastUsedAt },
  { header: "requests", value: (i) => i.requests },
  { header: "flags", value: (i) => i.flags.map((f) => f.id).join(" ") },
  { header: "reasons", value: (i) => i.flags.map((f) => f.text).join(" | ") },
  { header: "facts", value: (i) => i.facts },
  { header: "link", value: (i) => i.href },
];
