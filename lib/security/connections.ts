import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { decryptSecret, encryptionKeysFrom, encryptSecret, resealSecret, type EncryptionKeys } from "./secret-box";

export type ConnectionKind = "tyk" | "lightstep" | "webhook" | "incident_webhook";

export interface StoredConnection {
  kind: ConnectionKind;
  baseUrl: string;
  settings: Record<string, string>;
  /** The decrypted secret: hand it to the connector, never to a log or a response. */
  secret: string;
}

/** The encryption keys from the process configuration, or null when none is set. */
export function configuredKeys(): EncryptionKeys | null {
  return encryptionKeysFrom(process.env);
}

function requireKeys(keys: EncryptionKeys | null): EncryptionKeys {
  if (!keys) throw new Error("TOUCHLINE_ENCRYPTION_KEY is not set: connection secrets cannot be stored or read");
  return keys;
}

/** Creates or replaces the stored connection of `kind`, sealing its secret (bound to the kind). */
export async function saveConnection(db: PrismaClient, c: StoredConnection, keys = configuredKeys()): Promise<void> {
  const k = requireKeys(keys);
  const data = {
    baseUrl: c.baseUrl,
    settings: c.settings as Prisma.InputJsonValue,
    secretSealed: encryptSecret(c.secret, k.current, c.kind),
    secretLast4: c.secret.slice(-4),
  };
  await db.connection.upsert({ where: { kind: c.kind }, create: { kind: c.kind, ...data }, update: data });
}

/** The stored connection of `kind` with its secret opened, or null when none is stored. */
export async function loadConnection(db: PrismaClient, kind: ConnectionKind, keys = configuredKeys()): Promise<StoredConnection | null> {
  const row = await db.connection.findUnique({ where: { kind } });
  if (!row) return null;
  const settings = (row.settings && typeof row.settings === "object" && !Array.isArray(row.settings) ? row.settings : {}) as Record<string, string>;
  return { kind, baseUrl: row.baseUrl, settings, secret: decryptSecret(row.secretSealed, requireKeys(keys), kind) };
}

/**
 * Re-seals every stored secret with the current key (after TOUCHLINE_ENCRYPTION_KEY changed and the
 * old key moved to TOUCHLINE_ENCRYPTION_KEY_PREVIOUS). Each row is updated only if it still holds
 * the value read, so a concurrent save is never overwritten. Returns how many were re-sealed.
 */
export async function rotateConnectionSecrets(db: PrismaClient, keys = configuredKeys()): Promise<{ resealed: number; total: number }> {
  const k = requireKeys(keys);
  const rows = await db.connection.findMany({ select: { id: true, kind: true, secretSealed: true } });
  let resealed = 0;
  for (const row of rows) {
    const next = resealSecret(row.secretSealed, k, row.kind);
    if (next === null) continue;
    const r = await db.connection.updateMany({ where: { id: row.id, secretSealed: row.secretSealed }, data: { secretSealed: next } });
    resealed += r.count;
  }
  return { resealed, total: rows.length };
}
