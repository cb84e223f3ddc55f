import { createHash } from "node:crypto";

// The audit chain's HMAC key lives outside the database (environment or secrets manager), so a
// database writer cannot re-hash rows they changed. Rotation follows the connection-secret pattern:
// new key in TOUCHLINE_AUDIT_KEY, the old one in TOUCHLINE_AUDIT_KEY_PREVIOUS, `npm run
// secrets:rotate` (it verifies the chain with both and signs a checkpoint with the new key), then
// the previous key can go.

export interface AuditKey {
  /** Public fingerprint stored with each row and checkpoint (never the key). */
  id: string;
  secret: Buffer;
}

export interface AuditKeys {
  current: AuditKey;
  previous?: AuditKey;
}

export class AuditKeyError extends Error {}

/** 32 random bytes, base64/base64url or hex. The message names the variable, never the value. */
export function parseAuditKey(raw: string, name: string): AuditKey {
  const value = raw.trim();
  const secret = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (secret.length !== 32) throw new AuditKeyError(`${name} must be 32 random bytes, base64 or hex (openssl rand -base64 32)`);
  return { id: createHash("sha256").update("touchline-audit-key\n").update(secret).digest("hex").slice(0, 12), secret };
}

/** The audit keys from configuration, or null when TOUCHLINE_AUDIT_KEY is unset (plain sha256 chain). */
export function auditKeysFrom(source: Record<string, string | undefined>): AuditKeys | null {
  const current = source.TOUCHLINE_AUDIT_KEY;
  if (!current) return null;
  const previous = source.TOUCHLINE_AUDIT_KEY_PREVIOUS;
  return {
    current: parseAuditKey(current, "TOUCHLINE_AUDIT_KEY"),
    previous: previous ? parseAuditKey(previous, "TOUCHLINE_AUDIT_KEY_PREVIOUS") : undefined,
  };
}

export function keyList(keys: AuditKeys | null): AuditKey[] {
  return keys ? [keys.current, ...(keys.previous ? [keys.previous] : [])] : [];
}
