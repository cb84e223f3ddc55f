import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hash64, int64Decimal, sourceIdOfBytes, sourceIdOfLine } from "./source-id";

const utf8 = (s: string) => Buffer.from(s, "utf8");

describe("hash64", () => {
  it("is 16 hex digits, stable, and sensitive to every byte", () => {
    const a = hash64(utf8("2026-11-26 04:30:00.123456+00\torders\tGET\t/orders/1"));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64(utf8("2026-11-26 04:30:00.123456+00\torders\tGET\t/orders/1"))).toBe(a);
    expect(hash64(utf8("2026-11-26 04:30:00.123457+00\torders\tGET\t/orders/1"))).not.toBe(a);
    expect(hash64(utf8("2026-11-26 04:30:00.123456+00\torders\tGET\t/orders/2"))).not.toBe(a);
  });

  it("does not collide on many similar rows", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(hash64(utf8(`2026-11-26 04:30:00+00\torders\tGET\t/orders/${i}\t200\t${i % 97}`)));
    expect(seen.size).toBe(200_000);
  });

  it("hashes only the range it is given", () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
      const buf = utf8(a + b + c);
      const start = utf8(a).length;
      return hash64(buf, start, start + utf8(b).length) === hash64(utf8(b));
    }));
  });
});

describe("source ids", () => {
  it("leave the first field (the raw key) out", () => {
    const row = "2026-11-26 04:30:00+00\tGET\t/orders/é\t200";
    expect(sourceIdOfLine(`key-one\t${row}`)).toBe(sourceIdOfLine(`key-two\t${row}`));
    // The int8 of the hex form, as the migration converts stored ids: ('x' || hex)::bit(64)::int8.
    expect(sourceIdOfLine(`key-one\t${row}`)).toBe(BigInt.asIntN(64, BigInt(`0x${hash64(utf8(row))}`)).toString());
    expect(sourceIdOfLine(`key-one\t${row}`)).not.toBe(sourceIdOfLine(`key-one\t${row.replace("200", "500")}`));
  });

  it("are the same for a line inside a larger buffer", () => {
    const lines = ["k1\ta\tb", "k2\tü\tc", "k3\td\te", "no-tab"];
    const buf = utf8(lines.join("\n"));
    let pos = 0;
    for (const line of lines) {
      const end = pos + utf8(line).length;
      expect(sourceIdOfBytes(buf, pos, end)).toBe(sourceIdOfLine(line));
      pos = end + 1;
    }
  });
});

describe("int64Decimal", () => {
  const viaBigInt = (hi: number, lo: number) => BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
  const u32 = fc.integer({ min: 0, max: 0xffffffff });

  it("is the signed 64-bit value of the two lanes", () => {
    fc.assert(fc.property(u32, u32, (hi, lo) => int64Decimal(hi, lo) === viaBigInt(hi, lo)), { numRuns: 20_000 });
  });

  it("gets the edges right", () => {
    for (const [hi, lo] of [[0, 0], [0, 1], [0, 0xffffffff], [1, 0], [0x7fffffff, 0xffffffff], [0x80000000, 0], [0xffffffff, 0xffffffff],
      [0xffffffff, 0], [0x80000000, 1], [0, 999_999], [0, 1_000_000], [0x10, 0x5f5e0ff]]) {
      expect(int64Decimal(hi, lo)).toBe(viaBigInt(hi, lo));
    }
  });
});
