import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { AuditKey } from "./keys";

export const GENESIS_HASH = "0".repeat(64);

/** How a row's hash was made: plain sha256 (rows written before TOUCHLINE_AUDIT_KEY was set) or keyed. */
export const PLAIN = "sha256";
export const KEYED = "hmac-sha256";

export interface ChainFields {
  at: Date;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
}

// jsonb does not keep key order, so the hashed form sorts keys; otherwise a row read back
// from Postgres would never verify.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function body(row: ChainFields): string {
  return JSON.stringify([
    row.at.toISOString(),
    row.actorType,
    row.actorId,
    row.actorEmail,
    row.action,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    row.requestId,
    canonical(row.details ?? {}),
  ]);
}

/**
 * sha256 over the previous hash and this row's canonical content. The hash of rows written before a
 * key was configured, and the running content digest a checkpoint signs (so rows sealed with a key
 * that was since retired still verify against a checkpoint signed with the current one).
 */
export function plainHash(prevHash: string, row: ChainFields): string {
  return createHash("sha256").update(prevHash).update("\n").update(body(row)).digest("hex");
}

/** HMAC-SHA256 with the audit key: nobody without the key can produce it for edited content. */
export function keyedHash(prevHash: string, row: ChainFields, key: AuditKey): string {
  return createHmac("sha256", key.secret).update(prevHash).update("\n").update(body(row)).digest("hex");
}

export function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export interface ChainRow extends ChainFields {
  id: bigint | number | string;
  prevHash: string;
  hash: string;
  alg: string;
  keyId: string | null;
}

/** What a signed checkpoint attests: the chain had `rows` rows, ending at `headId` with `headHash`. */
export interface CheckpointClaim {
  at: string;
  rows: number;
  headId: string | null;
  headHash: string;
  /** The running plainHash over every row up to the head. */
  plainHead: string;
}

/**
 * edited: a row's content no longer matches its hash · removed: a row is missing from the middle ·
 * recomputed: the chain was re-hashed without the key (plain rows after keyed ones, or a head that
 * differs from a signed checkpoint) · deleted_tail / emptied: fewer rows than a checkpoint saw ·
 * unverifiable: rows sealed with a key that is not configured and no checkpoint covers ·
 * checkpoint_forged: a checkpoint names a configured key but its signature does not match.
 */
export type ProblemKind = "edited" | "removed" | "recomputed" | "deleted_tail" | "emptied" | "unverifiable" | "checkpoint_forged";

export interface ChainProblem {
  kind: ProblemKind;
  /** The first row that does not verify (null when rows are missing at the end). */
  brokenAt: string | null;
  reason: string;
}

export type ChainVerdict =
  | { ok: true; rows: number; keyedRows: number; plainRows: number; checkpoint: CheckpointClaim | null }
  | ({ ok: false; rows: number } & ChainProblem);

/** Where a walk stands after some rows: enough to carry on from a checkpoint without re-reading them. */
export interface ChainState {
  prev: string;
  plain: string;
  rows: number;
  /** Rows after this count must be keyed (a keyed checkpoint or keyed row was seen). */
  keyedFrom: number | null;
}

export const START: ChainState = { prev: GENESIS_HASH, plain: GENESIS_HASH, rows: 0, keyedFrom: null };

/**
 * Walks rows in id order and reports the first problem. `checkpoints` are the signed claims already
 * checked for authenticity (see checkpoint.ts); every one whose head the walk reaches is compared,
 * and the newest one says how many rows there must at least be.
 */
export class ChainWalker {
  private state: ChainState;
  private keyedRows = 0;
  private plainRows = 0;
  private unverifiedFrom: string | null = null;
  private problem: ChainProblem | null = null;
  private readonly byHead = new Map<string, CheckpointClaim[]>();
  private readonly newest: CheckpointClaim | null;

  constructor(
    private readonly keys: readonly AuditKey[],
    checkpoints: readonly CheckpointClaim[] = [],
    start: ChainState = START,
  ) {
    this.state = { ...start };
    for (const c of checkpoints) if (c.headId !== null) this.byHead.set(c.headId, [...(this.byHead.get(c.headId) ?? []), c]);
    this.newest = checkpoints.reduce<CheckpointClaim | null>((a, c) => (!a || c.rows > a.rows ? c : a), null);
    // A checkpoint is only ever signed by a server holding a key: rows after the first one are keyed.
    const first = checkpoints.reduce<number | null>((a, c) => (a === null || c.rows < a ? c.rows : a), null);
    if (first !== null && (this.state.keyedFrom === null || first < this.state.keyedFrom)) this.state.keyedFrom = first;
  }

  private fail(kind: ProblemKind, brokenAt: string | null, reason: string): false {
    this.problem = { kind, brokenAt, reason };
    return false;
  }

  /** Takes the next row; false once a problem was found (later rows are not looked at). */
  push(row: ChainRow): boolean {
    if (this.problem) return false;
    const s = this.state;
    const id = String(row.id);
    s.rows++;
    if (!sameHex(row.prevHash, s.prev)) return this.fail("removed", id, "prev_hash does not match the previous row (a row was removed or reordered)");
    s.plain = plainHash(s.plain, row);
    if (row.alg === PLAIN) {
      if (s.keyedFrom !== null && s.rows > s.keyedFrom) {
        return this.fail("recomputed", id, "a plain sha256 row after keyed rows or a signed checkpoint: the chain was re-hashed without the audit key");
      }
      if (!sameHex(plainHash(s.prev, row), row.hash)) return this.fail("edited", id, "content does not match its hash (the row was edited)");
      this.plainRows++;
    } else if (row.alg === KEYED) {
      s.keyedFrom ??= s.rows - 1;
      const key = this.keys.find((k) => k.id === row.keyId);
      if (key && !sameHex(keyedHash(s.prev, row, key), row.hash)) return this.fail("edited", id, "content does not match its keyed hash (the row was edited)");
      if (!key) this.unverifiedFrom ??= id;
      this.keyedRows++;
    } else {
      return this.fail("recomputed", id, `unknown hash algorithm "${row.alg}"`);
    }
    s.prev = row.hash;
    for (const c of this.byHead.get(id) ?? []) {
      if (!sameHex(c.headHash, row.hash) || c.rows !== s.rows) {
        return this.fail("recomputed", id, `differs from the checkpoint signed at ${c.at} (${c.rows} rows ending here): the chain was re-hashed`);
      }
      if (!sameHex(c.plainHead, s.plain)) {
        return this.fail("edited", id, `content up to here differs from the checkpoint signed at ${c.at}: a row sealed with a retired key was edited`);
      }
      this.unverifiedFrom = null;
    }
    return true;
  }

  /** The state to resume from (after a checkpoint was written here). */
  get position(): ChainState {
    return { ...this.state };
  }

  finish(): ChainVerdict {
    const rows = this.state.rows;
    if (this.problem) return { ok: false, rows, ...this.problem };
    const cp = this.newest;
    if (cp && rows < cp.rows) {
      const kind = rows === 0 ? "emptied" : "deleted_tail";
      const reason = rows === 0
        ? `the table is empty, but the checkpoint signed at ${cp.at} saw ${cp.rows} rows`
        : `the chain ends after ${rows} rows, but the checkpoint signed at ${cp.at} saw ${cp.rows} rows up to id ${cp.headId}: the newest rows were deleted`;
      return { ok: false, rows, kind, brokenAt: null, reason };
    }
    if (this.unverifiedFrom !== null) {
      return {
        ok: false, rows, kind: "unverifiable", brokenAt: this.unverifiedFrom,
        reason: "rows from here on are sealed with a key that is neither TOUCHLINE_AUDIT_KEY nor TOUCHLINE_AUDIT_KEY_PREVIOUS, and no later checkpoint covers them",
      };
    }
    return { ok: true, rows, keyedRows: this.keyedRows, plainRows: this.plainRows, checkpoint: cp };
  }
}

/** Verifies rows in memory (tests, small chains). */
export function verifyChain(rows: Iterable<ChainRow>, keys: readonly AuditKey[] = [], checkpoints: readonly CheckpointClaim[] = []): ChainVerdict {
  const walker = new ChainWalker(keys, checkpoints);
  for (const row of rows) if (!walker.push(row)) break;
  return walker.finish();
}
