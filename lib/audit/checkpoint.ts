import { createHmac } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { sameHex, type CheckpointClaim } from "./chain";
import type { AuditKey } from "./keys";

// Signed checkpoints of the audit chain (head hash, row count, time), kept outside the database so
// that deleting the newest rows — or all of them — is caught: the chain alone cannot tell a short
// table from a truncated one. The default sink is an append-only JSON-lines file; put its directory
// on storage the database's writers cannot reach (another volume, `chattr +a`, a WORM mount).

export interface Checkpoint extends CheckpointClaim {
  v: 1;
  keyId: string;
  mac: string;
}

function macOf(c: CheckpointClaim, key: AuditKey): string {
  const signed = JSON.stringify([1, c.at, c.rows, c.headId, c.headHash, c.plainHead, key.id]);
  return createHmac("sha256", key.secret).update("touchline-audit-checkpoint\n").update(signed).digest("hex");
}

export function signCheckpoint(claim: CheckpointClaim, key: AuditKey): Checkpoint {
  return { v: 1, ...claim, keyId: key.id, mac: macOf(claim, key) };
}

export interface CheckedCheckpoints {
  /** Authentic claims with the key that signed them, oldest first. */
  valid: (CheckpointClaim & { keyId: string })[];
  /** Signed with a key that is not configured (a retired one): cannot be checked, so not used. */
  skipped: number;
  /** Lines that name a configured key but whose signature does not match, or that do not parse. */
  forged: number;
}

function isCheckpoint(v: unknown): v is Checkpoint {
  const c = v as Checkpoint;
  return !!c && c.v === 1 && typeof c.at === "string" && Number.isSafeInteger(c.rows) && c.rows >= 0
    && (c.headId === null || typeof c.headId === "string") && typeof c.headHash === "string"
    && typeof c.plainHead === "string" && typeof c.keyId === "string" && typeof c.mac === "string";
}

/** Sorts the sink's lines into authentic, unverifiable (retired key) and forged ones. */
export function checkCheckpoints(lines: readonly unknown[], keys: readonly AuditKey[]): CheckedCheckpoints {
  const out: CheckedCheckpoints = { valid: [], skipped: 0, forged: 0 };
  for (const line of lines) {
    if (!isCheckpoint(line)) {
      out.forged++;
      continue;
    }
    const key = keys.find((k) => k.id === line.keyId);
    if (!key) out.skipped++;
    else if (!sameHex(macOf(line, key), line.mac)) out.forged++;
    else out.valid.push({ at: line.at, rows: line.rows, headId: line.headId, headHash: line.headHash, plainHead: line.plainHead, keyId: line.keyId });
  }
  out.valid.sort((a, b) => a.rows - b.rows);
  return out;
}

export interface CheckpointSink {
  /** Human description for messages (a path, a bucket). */
  where: string;
  append(c: Checkpoint): Promise<void>;
  /** Every line ever appended, parsed (a line that is not JSON comes back as null). */
  read(): Promise<unknown[]>;
}

export const CHECKPOINT_FILE = "audit-checkpoints.jsonl";

/** Appends one JSON line per checkpoint to `<dir>/audit-checkpoints.jsonl` (opened O_APPEND, owner-only). */
export function fileSink(dir: string): CheckpointSink {
  const file = path.join(dir, CHECKPOINT_FILE);
  return {
    where: file,
    async append(c) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await appendFile(file, `${JSON.stringify(c)}\n`, { flag: "a", mode: 0o600 });
    },
    async read() {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw err;
      }
      return text.split("\n").filter((l) => l.trim()).map((l) => {
        try {
          return JSON.parse(l) as unknown;
        } catch {
          return null;
        }
      });
    },
  };
}

/** The configured sink: TOUCHLINE_AUDIT_CHECKPOINT_DIR, or .data/audit-checkpoints under the working directory. */
export function configuredSink(source: Record<string, string | undefined> = process.env): CheckpointSink {
  return fileSink(path.resolve(source.TOUCHLINE_AUDIT_CHECKPOINT_DIR || path.join(".data", "audit-checkpoints")));
}
