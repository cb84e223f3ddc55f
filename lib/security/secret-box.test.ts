import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptionKeysFrom, encryptSecret, keyId, parseEncryptionKey, resealSecret, sealedWith, SecretBoxError } from "./secret-box";

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe("secret box (AES-256-GCM)", () => {
  it("round-trips and never contains the plaintext", () => {
    const sealed = encryptSecret("tyk-secret-key-123456", k1, "tyk");
    expect(sealed).not.toContain("tyk-secret-key-123456");
    expect(sealed.startsWith(`v1:${keyId(k1)}:`)).toBe(true);
    expect(decryptSecret(sealed, { current: k1 }, "tyk")).toBe("tyk-secret-key-123456");
  });

  it("uses a fresh IV: the same secret seals differently each time", () => {
    expect(encryptSecret("same", k1)).not.toBe(encryptSecret("same", k1));
  });

  it("refuses an altered ciphertext, a wrong context and an unknown key", () => {
    const sealed = encryptSecret("s3cret", k1, "tyk");
    const parts = sealed.split(":");
    const body = Buffer.from(parts[4], "base64url");
    body[0] ^= 1;
    parts[4] = body.toString("base64url");
    expect(() => decryptSecret(parts.join(":"), { current: k1 }, "tyk")).toThrow(SecretBoxError);
    expect(() => decryptSecret(sealed, { current: k1 }, "lightstep")).toThrow(SecretBoxError);
    expect(() => decryptSecret(sealed, { current: k2 }, "tyk")).toThrow(/neither/);
  });

  it("rotation: the previous key still opens old values, and reseal moves them to the current key", () => {
    const old = encryptSecret("rotate-me", k1, "x");
    const keys = { current: k2, previous: k1 };
    expect(decryptSecret(old, keys, "x")).toBe("rotate-me");
    const fresh = resealSecret(old, keys, "x")!;
    expect(sealedWith(fresh)).toBe(keyId(k2));
    expect(decryptSecret(fresh, { current: k2 }, "x")).toBe("rotate-me");
    expect(resealSecret(fresh, keys, "x")).toBeNull();
  });

  it("parses base64 and hex keys, refuses short ones without echoing them", () => {
    expect(parseEncryptionKey(k1.toString("base64")).equals(k1)).toBe(true);
    expect(parseEncryptionKey(k1.toString("hex")).equals(k1)).toBe(true);
    expect(() => parseEncryptionKey("c2hvcnQ=")).toThrow(/32 random bytes/);
    try {
      parseEncryptionKey("c2hvcnQ=");
    } catch (e) {
      expect(String(e)).not.toContain("c2hvcnQ=");
    }
    expect(encryptionKeysFrom({})).toBeNull();
    expect(encryptionKeysFrom({ TOUCHLINE_ENCRYPTION_KEY: k2.toString("base64"), TOUCHLINE_ENCRYPTION_KEY_PREVIOUS: k1.toString("hex") })?.previous?.equals(k1)).toBe(true);
  });
});
