import { describe, expect, it } from "vitest";
import { bearerToken, generateToken, hashToken, isTokenShape, parseExpiry, tokenStatus } from "./token";

describe("generateToken", () => {
  it("makes tl_ tokens whose stored hash is the sha256 of the token and whose prefix is a short head", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a.token).not.toBe(b.token);
    expect(isTokenShape(a.token)).toBe(true);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.prefix).toBe(a.token.slice(0, 11));
    expect(a.hash).not.toContain(a.token);
  });
});

describe("bearerToken", () => {
  const t = generateToken().token;
  it("reads a well-formed bearer token", () => expect(bearerToken(`Bearer ${t}`)).toBe(t));
  it("is case-insensitive about the scheme", () => expect(bearerToken(`bearer ${t}`)).toBe(t));
  it("returns undefined without a bearer header (session auth applies)", () => {
    expect(bearerToken(null)).toBeUndefined();
    expect(bearerToken("Basic abc")).toBeUndefined();
  });
  it("returns empty for a malformed token (so the request is refused, not treated as a session)", () => {
    expect(bearerToken("Bearer nope")).toBe("");
    expect(bearerToken(`Bearer ${t}x`)).toBe("");
  });
});

describe("parseExpiry", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("adds days, hours, weeks", () => {
    expect(parseExpiry("30d", now)?.toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(parseExpiry("12h", now)?.toISOString()).toBe("2026-01-01T12:00:00.000Z");
    expect(parseExpiry("2w", now)?.toISOString()).toBe("2026-01-15T00:00:00.000Z");
  });
  it("never → null", () => expect(parseExpiry("never", now)).toBeNull());
  it("rejects nonsense", () => {
    expect(() => parseExpiry("soon", now)).toThrow(/expiry/);
    expect(() => parseExpiry("0d", now)).toThrow(/expiry/);
  });
});

describe("tokenStatus", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("revoked wins, then expired, else active", () => {
    expect(tokenStatus({ revokedAt: now, expiresAt: null }, now)).toBe("revoked");
    expect(tokenStatus({ revokedAt: null, expiresAt: now }, now)).toBe("expired");
    expect(tokenStatus({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBe("active");
    expect(tokenStatus({ revokedAt: null, expiresAt: null }, now)).toBe("active");
  });
});
