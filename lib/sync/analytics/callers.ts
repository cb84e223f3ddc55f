/**
 * request_callers: the dictionary of who called (key hash, identity, OAuth client, policies) that
 * request_records rows point at with one int4. A busy day has millions of requests but a few
 * thousand distinct callers, so rows and indexes carry an integer instead of a 64-character key
 * hash and a text[].
 *
 * Ingest resolves callers in memory (CallerDictionary: everything stored loaded at run start, new
 * ids taken from blocks reserved from the table's sequence, new rows inserted with the batch that
 * uses them). Every other writer (test seeds, the demo, tools) goes through {@link callerIdsFor}.
 */
import type pg from "pg";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { pgTextArray } from "./transform";

type Sql = Pick<pg.Client, "query">;

/** A `pg` client, or Prisma (seeds and tests that hold only `db`). */
export type CallerWriter = Sql | PrismaClient;

function asSql(w: CallerWriter): Sql {
  if (!("$queryRawUnsafe" in w)) return w;
  const query = async (text: string, params: unknown[] = []) => ({ rows: await w.$queryRawUnsafe(text, ...params) });
  return { query } as unknown as Sql;
}

export interface CallerTuple {
  keyHash: string | null;
  identityId: string | null;
  oauthClientId: string | null;
  policyIds: readonly string[];
}

/** Policy ids as stored: deduplicated, sorted by code unit (as PostgreSQL's "C" collation sorts ASCII ids). */
export function normalisePolicies(ids: readonly string[]): string[] {
  if (ids.length < 2) return [...ids];
  return [...new Set(ids)].sort();
}

const NUL = "\u0000";
/**
 * One string per tuple (null told apart from every value; `sortedPolicies` already normalised).
 * Ingest builds it for every row, so plain concatenation.
 */
export function callerSignature(keyHash: string | null, identityId: string | null, oauthClientId: string | null, sortedPolicies: readonly string[]): string {
  return (keyHash ?? NUL) + "\u001e" + (identityId ?? NUL) + "\u001e" + (oauthClientId ?? NUL) + "\u001e" + sortedPolicies.join("\u001f");
}

/** A request_callers row as the driver returns it. */
export interface CallerRow {
  id: number;
  key_hash: string | null;
  identity_id: string | null;
  oauth_client_id: string | null;
  policy_ids: string[];
}

const signatureOf = (r: CallerRow) => callerSignature(r.key_hash, r.identity_id, r.oauth_client_id, r.policy_ids);

/** Every stored caller, by signature. */
export async function loadCallers(sql: Sql): Promise<Map<string, number>> {
  const { rows } = await sql.query<CallerRow>("SELECT id, key_hash, identity_id, oauth_client_id, policy_ids FROM request_callers");
  return new Map(rows.map((r) => [signatureOf(r), r.id]));
}

function columns(tuples: readonly CallerTuple[]): [(string | null)[], (string | null)[], (string | null)[], string[]] {
  return [
    tuples.map((t) => t.keyHash),
    tuples.map((t) => t.identityId),
    tuples.map((t) => t.oauthClientId),
    tuples.map((t) => pgTextArray(t.policyIds)),
  ];
}

/**
 * The caller ids of `tuples` (in order), inserting the ones not stored yet. Safe beside ingest and
 * other writers: the unique index decides, and a tuple another transaction is inserting waits for it.
 */
export async function callerIdsFor(writer: CallerWriter, tuples: readonly CallerTuple[]): Promise<number[]> {
  if (!tuples.length) return [];
  const sql = asSql(writer);
  const norm = tuples.map((t) => ({ ...t, policyIds: normalisePolicies(t.policyIds) }));
  const bySig = new Map<string, CallerTuple>();
  for (const t of norm) bySig.set(callerSignature(t.keyHash, t.identityId, t.oauthClientId, t.policyIds), t);
  const uniq = [...bySig.values()];
  await sql.query(
    `INSERT INTO request_callers (key_hash, identity_id, oauth_client_id, policy_ids)
     SELECT k, i, o, p::text[] FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(k, i, o, p)
     ON CONFLICT DO NOTHING`,
    columns(uniq),
  );
  const { rows } = await sql.query<CallerRow>(
    `SELECT c.id, c.key_hash, c.identity_id, c.oauth_client_id, c.policy_ids
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(k, i, o, p)
       JOIN request_callers c
         ON (c.key_hash = t.k OR (c.key_hash IS NULL AND t.k IS NULL))
        AND c.identity_id IS NOT DISTINCT FROM t.i AND c.oauth_client_id IS NOT DISTINCT FROM t.o AND c.policy_ids = t.p::text[]`,
    columns(uniq),
  );
  const ids = new Map(rows.map((r) => [signatureOf(r), r.id]));
  return norm.map((t) => {
    const id = ids.get(callerSignature(t.keyHash, t.identityId, t.oauthClientId, t.policyIds));
    if (id === undefined) throw new Error("callerIdsFor: a caller was neither inserted nor found");
    return id;
  });
}

/** `n` ids from request_callers' sequence (one round trip; not necessarily contiguous). */
export async function reserveCallerIds(sql: Sql, n: number): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>(
    "SELECT nextval(pg_get_serial_sequence('request_callers', 'id'))::int AS id FROM generate_series(1, $1::int)",
    [n],
  );
  return rows.map((r) => r.id);
}

interface Pending extends CallerTuple {
  id: number;
  signature: string;
}

/**
 * Ingest's in-memory view of request_callers. Ingest holds its advisory lock, so it is the only
 * ingest writer; a caller another writer stored meanwhile is reconciled in {@link writePending}.
 * Ids come from reserved blocks (a new caller costs no round trip of its own); a batch's new
 * callers are inserted in its transaction, and forgotten again if it rolls back — a later batch
 * must not reference ids that were never stored.
 */
export class CallerDictionary {
  private pool: number[] = [];
  private block = 32;
  private pending: Pending[] = [];
  /** Bumped whenever ids handed out may no longer hold (a rollback, a remapped caller): callers' caches check it. */
  generation = 0;

  constructor(
    private readonly known: Map<string, number>,
    private readonly reserve: (n: number) => Promise<number[]>,
  ) {}

  /** The id of a tuple (`sortedPolicies` normalised, `signature` its callerSignature), or null when ids must be reserved first. */
  idOf(signature: string, keyHash: string | null, identityId: string | null, oauthClientId: string | null, sortedPolicies: readonly string[]): number | null {
    const id = this.known.get(signature);
    if (id !== undefined) return id;
    const next = this.pool.pop();
    if (next === undefined) return null;
    this.known.set(signature, next);
    this.pending.push({ id: next, signature, keyHash, identityId, oauthClientId, policyIds: sortedPolicies });
    return next;
  }

  /**
   * {@link idOf} for one row: `policies` deduplicated (sorted here, in place, when more than one);
   * null when ids must be reserved first. Ingest asks only when a key's row names another caller
   * than the key's last one (PumpToRecords.callerOf), so this builds the signature each time.
   */
  idForRow(keyHash: string | null, identityId: string | null, oauthClientId: string | null, policies: string[]): number | null {
    const sorted = policies.length > 1 ? policies.sort() : policies;
    return this.idOf(callerSignature(keyHash, identityId, oauthClientId, sorted), keyHash, identityId, oauthClientId, sorted);
  }

  /** Reserves the next block of ids (growing: a first import meets thousands of callers, a later run a few). */
  async refill(): Promise<void> {
    const ids = await this.reserve(this.block);
    this.block = Math.min(this.block * 4, 4096);
    // Popped from the end: lowest id first.
    this.pool.push(...ids.sort((a, b) => b - a));
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Inserts the batch's new callers, inside the batch's transaction, before COMMIT. A tuple some
   * other writer stored meanwhile keeps its stored id: the batch's rows in `into` are moved to it,
   * and the returned map (batch id → stored id) says so for what else names them.
   */
  async writePending(sql: Sql, into: string | null): Promise<Map<number, number>> {
    const moved = new Map<number, number>();
    if (!this.pending.length) return moved;
    const p = this.pending;
    const { rows } = await sql.query<{ id: number }>(
      `INSERT INTO request_callers (id, key_hash, identity_id, oauth_client_id, policy_ids)
       SELECT id, k, i, o, pol::text[] FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, k, i, o, pol)
       ON CONFLICT DO NOTHING RETURNING id`,
      [p.map((c) => c.id), ...columns(p)],
    );
    if (rows.length === p.length) return moved;
    const stored = new Set(rows.map((r) => r.id));
    const lost = p.filter((c) => !stored.has(c.id));
    const ids = await callerIdsFor(sql, lost);
    for (let i = 0; i < lost.length; i++) {
      if (into) await sql.query(`UPDATE ${into} SET caller_id = $1 WHERE caller_id = $2`, [ids[i], lost[i].id]);
      this.known.set(lost[i].signature, ids[i]);
      moved.set(lost[i].id, ids[i]);
    }
    this.generation++;
    return moved;
  }

  /** The batch committed: its callers are stored. */
  commit(): void {
    this.pending = [];
  }

  /** The batch rolled back: its callers were never stored (their ids are not reused). */
  rollback(): void {
    for (const c of this.pending) if (this.known.get(c.signature) === c.id) this.known.delete(c.signature);
    this.pending = [];
    this.generation++;
  }
}
