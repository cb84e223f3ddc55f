import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyTable } from "./key-table";
import { normaliseKeyHash, sha256Hex } from "./transform";

const HASH = "a".repeat(64);

describe("KeyTable", () => {
  it("resolves known hashes to their entry (with identity), raw keys to their SHA-256, and nothing to null", () => {
    const t = new KeyTable([{ keyHash: HASH, identityId: "globex" }, { keyHash: "e3b0c442", identityId: null }]);
    expect(t.lookup(HASH)).toMatchObject({ keyHash: HASH, identityId: "globex" });
    expect(t.lookup("e3b0c442")?.keyHash).toBe("e3b0c442");
    const raw = "5e9d9544a1dcd60001d0ed20secret-key-1";
    expect(t.lookup(raw)).toMatchObject({ keyHash: sha256Hex(raw), identityId: null });
    expect(t.lookup(raw)).toBe(t.lookup(raw));
    expect(t.lookup(` ${HASH} `)).toBe(t.lookup(HASH));
    expect(t.lookup("")).toBeNull();
    expect(t.lookup("   ")).toBeNull();
    expect(t.lookup(null)).toBeNull();
  });

  it("gives a raw key whose SHA-256 Touchline knows the known key's entry", () => {
    const raw = "org1234567890abcdefkey";
    const t = new KeyTable([{ keyHash: sha256Hex(raw), identityId: "alice" }]);
    expect(t.lookup(raw)).toBe(t.lookup(sha256Hex(raw)));
    expect(t.lookup(raw)?.identityId).toBe("alice");
  });

  it("agrees with normaliseKeyHash for any value, also keys sharing a long prefix", () => {
    const known = ["k".repeat(40), HASH, "5e9d9544a1dcd60001d0ed20" + "0".repeat(8)];
    const value = fc.oneof(
      fc.constantFrom(...known),
      fc.string({ maxLength: 70 }),
      fc.string({ minLength: 1, maxLength: 12 }).map((tail) => `5e9d9544a1dcd60001d0ed20${tail}`),
      fc.stringMatching(/^[0-9a-f]{64}$/),
    );
    const t = new KeyTable(known.map((keyHash) => ({ keyHash, identityId: null })));
    fc.assert(fc.property(fc.array(value, { maxLength: 30 }), (values) => {
      for (const v of values) expect(t.lookup(v)?.keyHash ?? null).toBe(normaliseKeyHash(v, new Set(known)));
    }));
  });
});
