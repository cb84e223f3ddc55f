import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { keyFlags, rotationCutoff, unusedCutoff, type Flag, type FlagId, type RuleContext } from "./flags";

// The keys part of the hygiene page, in SQL: at 100,000 keys it is filtered, sorted, counted and
// paged in PostgreSQL, with each flag the same predicate as keyFlags (lib/hygiene/flags.ts). The
// usage columns come from usage_summaries (lib/sync/usage/rollup.ts), one row per key.

export const KEY_SORTS = ["created", "last_used", "requests", "alias", "expires"] as const;
export type KeySort = (typeof KEY_SORTS)[number];

export interface KeyQuery {
  flag?: FlagId | "any";
  q?: string;
  sort: KeySort;
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
}

export interface KeyHygieneRow {
  keyHash: string;
  last4: string | null;
  alias: string | null;
  identity: { id: string; name: string; kind: string } | null;
  policyIds: string[];
  apiIds: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  requests: number;
  calledApiIds: string[];
  flags: Flag[];
}

interface Raw {
  key_hash: string; last4: string | null; alias: string | null; identity_id: string | null; identity_name: string | null; identity_kind: string | null;
  policy_ids: string[]; api_ids: string[]; created_at: Date; expires_at: Date | null; last_used_at: Date | null; requests: bigint; called: string[];
}

const KEY_FLAGS = ["never_expires", "expired", "rotation_due", "unused", "no_owner", "over_broad"] as const;

function flagged(c: RuleContext) {
  const rot = rotationCutoff(c);
  const unused = unusedCutoff(c);
  const known = c.usageFrom !== null;
  return Prisma.sql`
    WITH k AS (
      SELECT k.key_hash, k.last4, k.alias, k.identity_id, i.name AS identity_name, i.kind AS identity_kind, k.policy_ids, k.api_ids,
             coalesce(k.tyk_created_at, k.first_seen_at) AS created_at, k.expires_at, u.last_used_at,
             coalesce(u.requests, 0) AS requests, coalesce(u.api_ids, '{}') AS called
        FROM keys k
        LEFT JOIN usage_summaries u ON u.kind = 'key' AND u.subject_id = k.key_hash
        LEFT JOIN identities i ON i.id = k.identity_id
       WHERE k.deleted_at IS NULL
    ), f AS (
      SELECT k.*,
             k.expires_at IS NULL AS never_expires,
             k.expires_at IS NOT NULL AND k.expires_at <= ${c.now} AS expired,
             k.created_at < ${rot} AS rotation_due,
             ${known} AND k.created_at < ${unused} AND (k.last_used_at IS NULL OR k.last_used_at < ${unused}) AS unused,
             k.identity_id IS NULL AS no_owner,
             ${known} AND k.last_used_at >= ${unused} AND NOT (k.api_ids <@ k.called) AS over_broad
        FROM k
    )`;
}

const ORDER: Record<KeySort, Prisma.Sql> = {
  created: Prisma.sql`created_at`,
  last_used: Prisma.sql`last_used_at`,
  requests: Prisma.sql`requests`,
  alias: Prisma.sql`alias`,
  expires: Prisma.sql`expires_at`,
};

function where(q: Pick<KeyQuery, "flag" | "q">): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (q.flag === "any") parts.push(Prisma.sql`(${Prisma.join(KEY_FLAGS.map((f) => Prisma.raw(f)), " OR ")})`);
  else if (q.flag && (KEY_FLAGS as readonly string[]).includes(q.flag)) parts.push(Prisma.raw(q.flag));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    parts.push(Prisma.sql`(alias ILIKE ${like} OR last4 ILIKE ${like} OR identity_name ILIKE ${like} OR key_hash = ${q.q})`);
  }
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

function toRow(r: Raw, c: RuleContext, apiName?: (id: string) => string): KeyHygieneRow {
  const facts = { createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, identityId: r.identity_id, apiIds: r.api_ids, calledApiIds: r.called };
  return {
    keyHash: r.key_hash, last4: r.last4, alias: r.alias,
    identity: r.identity_id ? { id: r.identity_id, name: r.identity_name ?? r.identity_id, kind: r.identity_kind ?? "unknown" } : null,
    policyIds: r.policy_ids, apiIds: r.api_ids, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at,
    requests: Number(r.requests), calledApiIds: r.called, flags: keyFlags(facts, c, apiName),
  };
}

/** One page of live keys with their flags, plus the total matching. */
export async function keyHygienePage(db: PrismaClient, q: KeyQuery, c: RuleContext, apiName?: (id: string) => string): Promise<{ rows: KeyHygieneRow[]; total: number }> {
  const dir = q.dir === "asc" ? Prisma.sql`ASC NULLS FIRST` : Prisma.sql`DESC NULLS LAST`;
  const rows = await db.$queryRaw<(Raw & { total: bigint })[]>`
    ${flagged(c)}
    SELECT *, count(*) OVER () AS total FROM f ${where(q)}
     ORDER BY ${ORDER[q.sort]} ${dir}, key_hash
     LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`;
  return { rows: rows.map((r) => toRow(r, c, apiName)), total: rows.length ? Number(rows[0].total) : 0 };
}

/** How many live keys carry each flag (and any flag). */
export async function keyFlagCounts(db: PrismaClient, c: RuleContext): Promise<{ total: number; flagged: number; byFlag: Record<string, number> }> {
  const [r] = await db.$queryRaw<Record<string, bigint>[]>`
    ${flagged(c)}
    SELECT count(*) AS total, count(*) FILTER (WHERE ${Prisma.join(KEY_FLAGS.map((f) => Prisma.raw(f)), " OR ")}) AS flagged,
           ${Prisma.join(KEY_FLAGS.map((f) => Prisma.sql`count(*) FILTER (WHERE ${Prisma.raw(f)}) AS ${Prisma.raw(f)}`), ", ")}
      FROM f`;
  return { total: Number(r.total), flagged: Number(r.flagged), byFlag: Object.fromEntries(KEY_FLAGS.map((f) => [f, Number(r[f])])) };
}

/** Every matching key, in key-hash order, a batch at a time (the CSV export). */
export async function* keyHygieneBatches(db: PrismaClient, q: Pick<KeyQuery, "flag" | "q">, c: RuleContext, apiName?: (id: string) => string, batch = 1000): AsyncGenerator<KeyHygieneRow[]> {
  let after = "";
  for (;;) {
    const cond = where(q);
    const rows = await db.$queryRaw<Raw[]>`
      ${flagged(c)}
      SELECT * FROM f ${cond} ${cond === Prisma.empty ? Prisma.sql`WHERE` : Prisma.sql`AND`} key_hash > ${after}
       ORDER BY key_hash LIMIT ${batch}`;
    if (!rows.length) return;
    yield rows.map((r) => toRow(r, c, apiName));
    after = rows[rows.length - 1].key_hash;
  }
}
