import { createHash, randomBytes } from "node:crypto";

/** Console API tokens look like `tl_<43 base64url chars>` (32 random bytes). */
export const TOKEN_PREFIX = "tl_";
const TOKEN_RE = /^tl_[A-Za-z0-9_-]{43}$/;
const DISPLAY_CHARS = 8;

export interface NewToken {
  /** The raw token: shown once, never stored or logged. */
  token: string;
  /** What the console keeps to show which token is which, e.g. `tl_Ab3dE9xQ`. */
  prefix: string;
  /** sha256 hex of the raw token: the only stored form. */
  hash: string;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isTokenShape(value: string): boolean {
  return TOKEN_RE.test(value);
}

export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + DISPLAY_CHARS);
}

export function generateToken(): NewToken {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, prefix: displayPrefix(token), hash: hashToken(token) };
}

/**
 * The token in an `Authorization: Bearer …` header, or undefined when there is no bearer header
 * at all. A bearer header with a malformed value yields "" so the caller answers 401 rather than
 * falling back to the session cookie.
 */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return undefined;
  const value = m[1].trim();
  return isTokenShape(value) ? value : "";
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 } as const;

/** Parses an expiry like `30d`, `12h`, `2w`, `1y`, or `never` (→ null). Throws on anything else. */
export function parseExpiry(spec: string, now = new Date()): Date | null {
  const s = spec.trim().toLowerCase();
  if (s === "never") return null;
  const m = /^(\d{1,4})([mhdwy])$/.exec(s);
  if (!m || Number(m[1]) === 0) throw new Error(`expiry "${spec}": use a number and unit (m, h, d, w, y), e.g. 30d, or "never"`);
  return new Date(now.getTime() + Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

export type TokenStatus = "active" | "revoked" | "expired";

export function tokenStatus(t: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): TokenStatus {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}
