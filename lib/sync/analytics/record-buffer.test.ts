import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordBuffer } from "./record-buffer";

const written = (fill: (b: RecordBuffer) => void) => {
  const b = new RecordBuffer();
  fill(b);
  return b.written().toString("utf8");
};

describe("RecordBuffer", () => {
  it("writes int8 lanes as the signed 64-bit integer they make", () => {
    const lane = fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
    const viaBigInt = (hi: number, lo: number) => BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
    fc.assert(fc.property(lane, lane, (hi, lo) => written((b) => b.int64(hi, lo)) === viaBigInt(hi, lo)), { numRuns: 2000 });
  });

  it("writes integers as String does, and grows past its first size", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer(), fc.constant(-0))), (ns) => {
      expect(written((b) => ns.forEach((n) => { b.int(n); b.byte(44); }))).toBe(ns.map((n) => `${String(n)},`).join(""));
    }));
    const long = "é".repeat(5000);
    expect(written((b) => b.text(long))).toBe(long);
  });

  it("copies byte ranges, short and long, and lowers capitals only", () => {
    const src = Buffer.from("xx" + "Ab-Z".repeat(40) + "yy");
    expect(written((b) => { b.bytes(src, 2, 6); b.bytes(src, 2, 162); })).toBe("Ab-Z" + "Ab-Z".repeat(40));
    expect(written((b) => b.lowerBytes(Buffer.from("0AF7-zZ@["), 0, 9))).toBe("0af7-zz@[");
  });
});
