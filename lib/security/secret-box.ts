import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Connection secrets at rest: AES-256-GCM with a random 96-bit IV per value. The stored form names
// the key that sealed it (a short fingerprint, not the key), so rotation can tell which values still
// need re-sealing and decryption can pick the right key without trial and error.
const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";

export interface EncryptionKeys {
  current: Buffer;
  /** The key before the last rotation: still decrypts, never encrypts. */
  previous?: Buffer;
}

export class SecretBoxError extends Error {}

/** A 32-byte key from base64/base64url (44/43 chars) or hex (64 chars). The message never includes the value. */
export function parseEncryptionKey(raw: string, name = "TOUCHLINE_ENCRYPTION_KEY"): Buffer {
  const value = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) throw new SecretBoxError(`${name} must be 32 random bytes, base64 or hex (openssl rand -base64 32)`);
  return key;
}

/** The keys from configuration, or null when no encryption key is configured. */
export function encryptionKeysFrom(source: Record<string, string | undefined>): EncryptionKeys | null {
  const current = source.TOUCHLINE_ENCRYPTION_KEY;
  if (!current) return null;
  const previous = source.TOUCHLINE_ENCRYPTION_KEY_PREVIOUS;
  return {
    current: parseEncryptionKey(current),
    previous: previous ? parseEncryptionKey(previous, "TOUCHLINE_ENCRYPTION_KEY_PREVIOUS") : undefined,
  };
}

/** Short public fingerprint of a key (first 8 hex of its SHA-256). */
export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** Seals `plaintext`; `context` (e.g. the connection kind) is bound as associated data so a sealed value cannot be moved to another row. */
export function encryptSecret(plaintext: string, key: Buffer, context = ""): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyId(key), iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(":");
}

/** Which key sealed a stored value. */
export function sealedWith(sealed: string): string {
  const parts = sealed.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError("not a sealed secret");
  return parts[1];
}

/** Opens a sealed value with whichever configured key sealed it; throws if none did or it was altered. */
export function decryptSecret(sealed: string, keys: EncryptionKeys, context = ""): string {
  const [, id, iv, tag, body] = sealed.split(":");
  const key = [keys.current, keys.previous].find((k): k is Buffer => k !== undefined && keyId(k) === sealedWith(sealed) && keyId(k) === id);
  if (!key) throw new SecretBoxError(`sealed with key ${id}, which is neither TOUCHLINE_ENCRYPTION_KEY nor TOUCHLINE_ENCRYPTION_KEY_PREVIOUS`);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("sealed secret failed authentication (altered, or the wrong context)");
  }
}

/** Re-seals with the current key when another key sealed it; returns null when already current. */
export function resealSecret(sealed: string, keys: EncryptionKeys, context = ""): string | null {
  if (sealedWith(sealed) === keyId(keys.current)) return null;
  return encryptSecret(decryptSecret(sealed, keys, context), keys.current, context);
}
