// SQL fragments shared by the loaders. Prisma stores DateTime as `timestamp(3)` holding UTC, so
// times cross the boundary as epoch milliseconds and are converted in SQL, never through the
// driver's time-zone handling.
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { createHash } from "node:crypto";
import { lookupPoolOf, poolOf } from "@/lib/db";

/** An epoch-ms parameter as a UTC `timestamp(3)` (comparable with the indexed `ts` columns). */
export function at(ms: number): Prisma.Sql {
  return Prisma.sql`(to_timestamp(${ms}::float8 / 1000.0) AT TIME ZONE 'UTC')::timestamp(3)`;
}

/** A `timestamp` column as epoch ms (float8, so it arrives as a JS number). */
export function epochMs(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(extract(epoch FROM ${column}) * 1000)::float8`;
}

/**
 * Group by `date_trunc('minute', ts)` and convert once per group with epochMs: extract() returns
 * numeric, and numeric arithmetic per row doubled the cost of the 24 h series query.
 */
export const MINUTE_OF_TS = Prisma.sql`date_trunc('minute', ts)`;

/**
 * Runs a read on the pg driver under `db` (its pools; `lookup` picks the lookup pool). The investigation's reads
 * return thousands of values; Prisma's raw path decoded them at several times the driver's cost
 * (~5 ms of a 10 ms read, see README "Performance"). Values arrive as pg parses them: int4 and
 * float8 as numbers, arrays as arrays, json as objects, int8 as strings.
 */
export async function readRows<T>(db: PrismaClient, query: Prisma.Sql, opts: ReadOptions = {}): Promise<T[]> {
  return (await run(db, query, opts.prepared, opts.lookup)).rows as T[];
}

/**
 * A read of thousands of integer tuples as one text value: `query` must return one row with `n`
 * (the tuples) and `packed` (their `width` integers each, comma-separated, in tuple order; see
 * packedIntsSql). The driver otherwise makes a message, a string per field and an array per row —
 * for the investigation's traffic that was a sixth of all it allocated — where this is one string
 * and one typed array.
 */
export async function readPackedInts(db: PrismaClient, query: Prisma.Sql, width: number): Promise<Float64Array> {
  const [row] = (await run(db, query)).rows as { n: number; packed: string | null }[];
  const out = new Float64Array((row?.n ?? 0) * width);
  const read = row?.packed ? parseIntList(row.packed, out) : 0;
  if (read !== out.length) throw new Error(`readPackedInts: expected ${out.length} integers, read ${read}`);
  return out;
}

/**
 * The statement readPackedInts expects: `inner`'s rows, its `columns` (names from our code, not
 * input; integer-valued and never NULL, as concat_ws skips NULLs) comma-joined. The tuples keep the order `inner` yields them in.
 */
export function packedIntsSql(columns: string[], inner: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS n, string_agg(concat_ws(',', ${Prisma.raw(columns.join(", "))}), ',') AS packed FROM (${inner}) packed_rows`;
}

/** Parses comma-separated decimal integers into out (at most out.length of them); returns how many. */
export function parseIntList(text: string, out: Float64Array): number {
  let n = 0, v = 0, sign = 1, digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
    } else if (c === 45 && digits === 0 && sign === 1) {
      sign = -1;
    } else if (c === 44 && digits > 0) {
      if (n === out.length) return n + 1;
      out[n++] = sign * v;
      v = 0; sign = 1; digits = 0;
    } else {
      throw new Error(`parseIntList: unexpected ${JSON.stringify(text[i] ?? "end")} at ${i}`);
    }
  }
  return n;
}

export interface ReadOptions {
  /** Run as a named statement (see statementName). */
  prepared?: boolean;
  /** A small indexed lookup: runs on the client's lookup connections (see lookupPoolOf). */
  lookup?: boolean;
}

function run(db: PrismaClient, query: Prisma.Sql, prepared = false, lookup = false) {
  return (lookup ? lookupPoolOf(db) : poolOf(db)).query({ ...(prepared ? { name: statementName(query.text) } : {}), text: query.text, values: query.values as unknown[] });
}

// Named statements are parsed once per connection, then only bound and executed, and PostgreSQL
// caches their plan: planning the investigation's lookups (joins over versions, aggregates of
// labels) cost more than running them. Reads of request_records stay unnamed: their plan must be
// pruned to the window's day partitions each call anyway, and a named one made PostgreSQL build a
// generic plan over every partition at its sixth run on each connection (a spike of several ms).
// (Behind a transaction-mode pooler, named statements need protocol-level prepared statement
// support, e.g. PgBouncer ≥ 1.21 with max_prepared_statements.)
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `tl_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`));
  return name;
}

/** The sort budget the bench floor's client sets for its hand-written aggregates. */
export const AGGREGATE_WORK_MEM = "32MB";

export const MINUTE = 60_000;

/** Rounds an epoch-ms time down to its minute. */
export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}
