import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { maskKey } from "@/lib/format";
import { filterDate } from "@/lib/api/filter-date";
import { likeLiteral } from "@/lib/queries/like";

/** Filters of the call trail page, its API, its export and the CLI (all optional). */
export const callFilterSchema = z.object({
  identity: z.string().trim().max(320).optional(), // identity id, email or external id
  key: z.string().trim().max(200).optional(), // key alias or Tyk key hash
  endpoint: z.string().trim().max(300).optional(), // endpoint id, "GET /orders", or a path prefix "/payments"
  status: z.string().trim().regex(/^([1-5]\d\d|[1-5]xx)$/i, "use a status code (503) or a class (5xx)").optional(),
  from: filterDate.optional(),
  to: filterDate.optional(),
});
export type CallFilter = z.infer<typeof callFilterSchema>;

const CURSOR_RE = /^(\d{13})_(-?\d{1,19})$/;
const isCursor = (c: string) => {
  const m = CURSOR_RE.exec(c);
  return !!m && BigInt.asIntN(64, BigInt(m[2])) === BigInt(m[2]);
};
export const callPageSchema = callFilterSchema.extend({
  cursor: z.string().max(40).refine(isCursor, "cursor is not one this API returned").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Keyset cursor over the primary key (ts, source_id): "<epoch ms>_<source id, a decimal int8>". */
export function encodeCallCursor(ts: Date, sourceId: bigint): string {
  return `${String(ts.getTime()).padStart(13, "0")}_${sourceId}`;
}
export function decodeCallCursor(cursor: string): { ts: Date; sourceId: bigint } {
  const m = CURSOR_RE.exec(cursor);
  if (!m || !isCursor(cursor)) throw new Error("bad cursor");
  return { ts: new Date(Number(m[1])), sourceId: BigInt(m[2]) };
}

/** A status filter ("503" or a class, "5xx") as a half-open range. */
export function statusRange(status: string): { gte: number; lt: number } {
  if (/xx$/i.test(status)) {
    const base = Number(status[0]) * 100;
    return { gte: base, lt: base + 100 };
  }
  return { gte: Number(status), lt: Number(status) + 1 };
}

const METHOD_PATH = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/\S*)$/i;

export interface EndpointMatch {
  id: string;
  method: string;
  path: string;
  apiId: string;
  apiName: string;
}

/** Endpoints matching an id, an exact "METHOD /path", or a path prefix; at most `limit`. */
export async function findEndpoints(db: PrismaClient, q: string, limit = 50): Promise<EndpointMatch[]> {
  const s = q.trim();
  const mp = METHOD_PATH.exec(s);
  const where: Prisma.EndpointWhereInput = mp
    ? { method: mp[1].toUpperCase(), path: mp[2] }
    : s.startsWith("/")
      ? { path: { startsWith: likeLiteral(s) } }
      : { OR: [{ id: s }, { path: { contains: likeLiteral(s), mode: "insensitive" } }, { operation: { contains: likeLiteral(s), mode: "insensitive" } }] };
  const rows = await db.endpoint.findMany({ where, include: { api: { select: { name: true } } }, orderBy: [{ path: "asc" }, { method: "asc" }], take: limit });
  return rows.map((e) => ({ id: e.id, method: e.method, path: e.path, apiId: e.apiId, apiName: e.api.name }));
}

/** The call trail's filters in index terms; null fields filter nothing. */
export interface ResolvedCallFilter {
  /** request_callers ids (a key or person maps to a few). */
  callerIds: number[] | null;
  endpointIds: string[] | null;
  status: { gte: number; lt: number } | null;
  from: Date | null;
  to: Date | null;
}

/**
 * Turns the human filters into index-friendly ones (caller ids for a key or person, endpoint ids).
 * Returns null when a filter names nothing that exists, so the caller answers "no calls" at once.
 */
export async function resolveCallFilter(db: PrismaClient, f: CallFilter): Promise<ResolvedCallFilter | null> {
  const callers: Prisma.RequestCallerWhereInput[] = [];
  if (f.identity) {
    // Exact, case-insensitive: Prisma's insensitive `equals` is ILIKE, where % and _ are wildcards.
    const ids = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM identities WHERE id = ${f.identity} OR lower(email) = lower(${f.identity}) OR lower(external_id) = lower(${f.identity})`;
    if (!ids.length) return null;
    callers.push({ identityId: { in: ids.map((i) => i.id) } });
  }
  if (f.key) {
    const keys = await db.$queryRaw<{ keyHash: string }[]>`SELECT key_hash AS "keyHash" FROM keys WHERE key_hash = ${f.key} OR lower(alias) = lower(${f.key})`;
    if (!keys.length) return null;
    callers.push({ keyHash: { in: keys.map((k) => k.keyHash) } });
  }
  let callerIds: number[] | null = null;
  if (callers.length) {
    callerIds = (await db.requestCaller.findMany({ where: { AND: callers }, select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id);
    if (!callerIds.length) return null;
  }
  let endpointIds: string[] | null = null;
  if (f.endpoint) {
    const eps = await findEndpoints(db, f.endpoint, 500);
    if (!eps.length) return null;
    endpointIds = eps.map((e) => e.id);
  }
  return { callerIds, endpointIds, status: f.status ? statusRange(f.status) : null, from: f.from ?? null, to: f.to ?? null };
}

export interface CallView {
  id: string;
  ts: Date;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  apiId: string;
  endpoint: { id: string; method: string; path: string } | null;
  key: { hash: string; alias: string | null; masked: string } | null;
  identity: { id: string; name: string; email: string | null } | null;
  traceId: string | null;
}

interface Row {
  source_id: bigint;
  ts: Date;
  endpoint_id: string | null;
  api_id: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  caller_id: number;
  trace_id: string | null;
}

async function toViews(db: PrismaClient, rows: Row[]): Promise<CallView[]> {
  const uniq = <T>(xs: (T | null)[]) => [...new Set(xs.filter((x): x is T => x !== null))];
  const callers = await db.requestCaller.findMany({ where: { id: { in: uniq(rows.map((r) => r.caller_id)) } }, select: { id: true, keyHash: true, identityId: true } });
  const callerBy = new Map(callers.map((c) => [c.id, c]));
  const [keys, identities, endpoints] = await Promise.all([
    db.key.findMany({ where: { keyHash: { in: uniq(callers.map((c) => c.keyHash)) } }, select: { keyHash: true, alias: true, last4: true } }),
    db.identity.findMany({ where: { id: { in: uniq(callers.map((c) => c.identityId)) } }, select: { id: true, name: true, email: true } }),
    db.endpoint.findMany({ where: { id: { in: uniq(rows.map((r) => r.endpoint_id)) } }, select: { id: true, method: true, path: true } }),
  ]);
  const keyBy = new Map(keys.map((k) => [k.keyHash, k]));
  const idBy = new Map(identities.map((i) => [i.id, i]));
  const epBy = new Map(endpoints.map((e) => [e.id, e]));
  return rows.map((r) => {
    const caller = callerBy.get(r.caller_id);
    const keyHash = caller?.keyHash ?? null;
    const k = keyHash ? keyBy.get(keyHash) : undefined;
    return {
      id: String(r.source_id),
      ts: r.ts,
      method: r.method,
      path: r.path,
      status: r.status,
      latencyMs: r.latency_ms,
      apiId: r.api_id,
      endpoint: (r.endpoint_id && epBy.get(r.endpoint_id)) || null,
      // Only the alias and last four characters ever leave the server.
      key: keyHash ? { hash: keyHash, alias: k?.alias ?? null, masked: maskKey(k?.last4) } : null,
      identity: (caller?.identityId && idBy.get(caller.identityId)) || null,
      traceId: r.trace_id,
    };
  });
}

const COLUMNS = Prisma.sql`source_id, ts, endpoint_id, api_id, method, path, status, latency_ms, caller_id, trace_id`;

/** The newest `n` calls matching `f` after `after`, newest first. */
async function newestCalls(db: PrismaClient, f: ResolvedCallFilter, after: { ts: Date; sourceId: bigint } | null, n: number): Promise<Row[]> {
  const conds: Prisma.Sql[] = [];
  if (f.endpointIds) conds.push(Prisma.sql`endpoint_id = ANY(${f.endpointIds}::text[])`);
  if (f.status) conds.push(Prisma.sql`status >= ${f.status.gte} AND status < ${f.status.lt}`);
  if (f.from) conds.push(Prisma.sql`ts >= ${f.from}`);
  if (f.to) conds.push(Prisma.sql`ts < ${f.to}`);
  if (after) conds.push(Prisma.sql`(ts, source_id) < (${after.ts}, ${after.sourceId})`);
  const limit = Prisma.raw(String(n));
  if (!f.callerIds) {
    const where = conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, " AND ")}` : Prisma.empty;
    return db.$queryRaw<Row[]>`SELECT ${COLUMNS} FROM request_records ${where} ORDER BY ts DESC, source_id DESC LIMIT ${limit}`;
  }
  // A key or person is a few callers, each a range of the (caller_id, ts) index: take each one's
  // newest n and merge, so a caller with 500 k calls does not sort them all.
  const where = Prisma.join([Prisma.sql`caller_id = cid.id`, ...conds], " AND ");
  return db.$queryRaw<Row[]>`
    SELECT r.* FROM unnest(${f.callerIds}::int[]) AS cid(id)
    CROSS JOIN LATERAL (
      SELECT ${COLUMNS} FROM request_records WHERE ${where} ORDER BY ts DESC, source_id DESC LIMIT ${limit}
    ) r
    ORDER BY r.ts DESC, r.source_id DESC LIMIT ${limit}`;
}

/** One page of calls, newest first, keyset-paged on (ts, source_id) so deep pages cost the same as the first. */
export async function listCalls(db: PrismaClient, page: CallFilter & { cursor?: string; limit: number }): Promise<{ calls: CallView[]; nextCursor: string | null }> {
  const filter = await resolveCallFilter(db, page);
  if (!filter) return { calls: [], nextCursor: null };
  const after = page.cursor ? decodeCallCursor(page.cursor) : null;
  const rows = await newestCalls(db, filter, after, page.limit + 1);
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  const last = kept[kept.length - 1];
  return { calls: await toViews(db, kept), nextCursor: more && last ? encodeCallCursor(last.ts, BigInt(last.source_id)) : null };
}

/** Every matching call in keyset pages, for exports (capped). */
export async function* callPages(db: PrismaClient, filter: CallFilter, max = 1_000_000, batch = 5000): AsyncGenerator<CallView[]> {
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const { calls, nextCursor } = await listCalls(db, { ...filter, cursor, limit: Math.min(batch, max - sent) });
    if (calls.length) yield calls;
    sent += calls.length;
    if (!nextCursor) return;
    cursor = nextCursor;
  }
}

export const CALL_EXPORT_COLUMNS = [
  { header: "ts", value: (c: CallView) => c.ts.toISOString() },
  { header: "method", value: (c: CallView) => c.method },
  { header: "path", value: (c: CallView) => c.path },
  { header: "status", value: (c: CallView) => c.status },
  { header: "latency_ms", value: (c: CallView) => c.latencyMs },
  { header: "api_id", value: (c: CallView) => c.apiId },
  { header: "endpoint", value: (c: CallView) => (c.endpoint ? `${c.endpoint.method} ${c.endpoint.path}` : null) },
  { header: "key_alias", value: (c: CallView) => c.key?.alias ?? null },
  { header: "key", value: (c: CallView) => c.key?.masked ?? null },
  { header: "key_hash", value: (c: CallView) => c.key?.hash ?? null },
  { header: "identity", value: (c: CallView) => c.identity?.email ?? c.identity?.name ?? null },
  { header: "trace_id", value: (c: CallView) => c.traceId },
] as const;
