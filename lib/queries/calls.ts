import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { maskKey } from "@/lib/format";

/** Filters of the call trail page, its API, its export and the CLI (all optional). */
export const callFilterSchema = z.object({
  identity: z.string().trim().max(320).optional(), // identity id, email or external id
  key: z.string().trim().max(200).optional(), // key alias or Tyk key hash
  endpoint: z.string().trim().max(300).optional(), // endpoint id, "GET /orders", or a path prefix "/payments"
  status: z.string().trim().regex(/^([1-5]\d\d|[1-5]xx)$/i, "use a status code (503) or a class (5xx)").optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type CallFilter = z.infer<typeof callFilterSchema>;

const CURSOR_RE = /^(\d{13})_([A-Za-z0-9_-]{1,200})$/;
export const callPageSchema = callFilterSchema.extend({
  cursor: z.string().regex(CURSOR_RE, "cursor is not one this API returned").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Keyset cursor over the primary key (ts, source_id): "<epoch ms>_<source id, base64url>". */
export function encodeCallCursor(ts: Date, sourceId: string): string {
  return `${String(ts.getTime()).padStart(13, "0")}_${Buffer.from(sourceId, "utf8").toString("base64url")}`;
}
export function decodeCallCursor(cursor: string): { ts: Date; sourceId: string } {
  const m = CURSOR_RE.exec(cursor);
  if (!m) throw new Error("bad cursor");
  return { ts: new Date(Number(m[1])), sourceId: Buffer.from(m[2], "base64url").toString("utf8") };
}

export function statusWhere(status: string): Prisma.RequestRecordWhereInput {
  if (/xx$/i.test(status)) {
    const base = Number(status[0]) * 100;
    return { status: { gte: base, lt: base + 100 } };
  }
  return { status: Number(status) };
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
      ? { path: { startsWith: s } }
      : { OR: [{ id: s }, { path: { contains: s, mode: "insensitive" } }, { operation: { contains: s, mode: "insensitive" } }] };
  const rows = await db.endpoint.findMany({ where, include: { api: { select: { name: true } } }, orderBy: [{ path: "asc" }, { method: "asc" }], take: limit });
  return rows.map((e) => ({ id: e.id, method: e.method, path: e.path, apiId: e.apiId, apiName: e.api.name }));
}

/**
 * Turns the human filters into index-friendly ones (identity_id / key_hash / endpoint_id IN …).
 * Returns null when a filter names nothing that exists, so the caller answers "no calls" at once.
 */
export async function resolveCallFilter(db: PrismaClient, f: CallFilter): Promise<Prisma.RequestRecordWhereInput | null> {
  const and: Prisma.RequestRecordWhereInput[] = [];
  if (f.identity) {
    const ids = await db.identity.findMany({
      where: { OR: [{ id: f.identity }, { email: { equals: f.identity, mode: "insensitive" } }, { externalId: { equals: f.identity, mode: "insensitive" } }] },
      select: { id: true },
    });
    if (!ids.length) return null;
    // Identity is stamped from the key at ingest, so the keys' index finds a person's calls
    // (request_records has no identity index); the identity test keeps the answer exact.
    const keys = await db.key.findMany({ where: { identityId: { in: ids.map((i) => i.id) } }, select: { keyHash: true } });
    and.push({ identityId: { in: ids.map((i) => i.id) }, ...(keys.length ? { keyHash: { in: keys.map((k) => k.keyHash) } } : {}) });
  }
  if (f.key) {
    const keys = await db.key.findMany({ where: { OR: [{ keyHash: f.key }, { alias: { equals: f.key, mode: "insensitive" } }] }, select: { keyHash: true } });
    if (!keys.length) return null;
    and.push({ keyHash: { in: keys.map((k) => k.keyHash) } });
  }
  if (f.endpoint) {
    const eps = await findEndpoints(db, f.endpoint, 500);
    if (!eps.length) return null;
    and.push({ endpointId: { in: eps.map((e) => e.id) } });
  }
  if (f.status) and.push(statusWhere(f.status));
  if (f.from || f.to) and.push({ ts: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } });
  return { AND: and };
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

type Row = Awaited<ReturnType<PrismaClient["requestRecord"]["findMany"]>>[number];

async function toViews(db: PrismaClient, rows: Row[]): Promise<CallView[]> {
  const uniq = <T>(xs: (T | null)[]) => [...new Set(xs.filter((x): x is T => x !== null))];
  const [keys, identities, endpoints] = await Promise.all([
    db.key.findMany({ where: { keyHash: { in: uniq(rows.map((r) => r.keyHash)) } }, select: { keyHash: true, alias: true, last4: true } }),
    db.identity.findMany({ where: { id: { in: uniq(rows.map((r) => r.identityId)) } }, select: { id: true, name: true, email: true } }),
    db.endpoint.findMany({ where: { id: { in: uniq(rows.map((r) => r.endpointId)) } }, select: { id: true, method: true, path: true } }),
  ]);
  const keyBy = new Map(keys.map((k) => [k.keyHash, k]));
  const idBy = new Map(identities.map((i) => [i.id, i]));
  const epBy = new Map(endpoints.map((e) => [e.id, e]));
  return rows.map((r) => {
    const k = r.keyHash ? keyBy.get(r.keyHash) : undefined;
    return {
      id: r.sourceId,
      ts: r.ts,
      method: r.method,
      path: r.path,
      status: r.status,
      latencyMs: r.latencyMs,
      apiId: r.apiId,
      endpoint: (r.endpointId && epBy.get(r.endpointId)) || null,
      // Only the alias and last four characters ever leave the server.
      key: r.keyHash ? { hash: r.keyHash, alias: k?.alias ?? null, masked: maskKey(k?.last4) } : null,
      identity: (r.identityId && idBy.get(r.identityId)) || null,
      traceId: r.traceId,
    };
  });
}

/** One page of calls, newest first, keyset-paged on (ts, source_id) so deep pages cost the same as the first. */
export async function listCalls(db: PrismaClient, page: CallFilter & { cursor?: string; limit: number }): Promise<{ calls: CallView[]; nextCursor: string | null }> {
  const where = await resolveCallFilter(db, page);
  if (!where) return { calls: [], nextCursor: null };
  const after = page.cursor ? decodeCallCursor(page.cursor) : null;
  const rows = await db.requestRecord.findMany({
    where: after ? { AND: [where, { OR: [{ ts: { lt: after.ts } }, { ts: after.ts, sourceId: { lt: after.sourceId } }] }] } : where,
    orderBy: [{ ts: "desc" }, { sourceId: "desc" }],
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  const last = kept[kept.length - 1];
  return { calls: await toViews(db, kept), nextCursor: more && last ? encodeCallCursor(last.ts, last.sourceId) : null };
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
