import { describe, expect, it } from "vitest";
import { callPageSchema, decodeCallCursor, encodeCallCursor } from "./calls";

describe("call trail cursor", () => {
  it("round-trips (ts, source id) for any int8 source id", () => {
    for (const id of [0n, 5n, -1n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      const ts = new Date("2026-11-26T10:00:00.123Z");
      const cursor = encodeCallCursor(ts, id);
      expect(callPageSchema.safeParse({ cursor }).success).toBe(true);
      expect(decodeCallCursor(cursor)).toEqual({ ts, sourceId: id });
    }
  });

  it("rejects what it did not make, including source ids past int8", () => {
    for (const cursor of ["x", "1764151200123_abc", "1764151200123_9223372036854775808", "1764151200123_-9223372036854775809", "176415120012_1"]) {
      expect(callPageSchema.safeParse({ cursor }).success).toBe(false);
      expect(() => decodeCallCursor(cursor)).toThrow("bad cursor");
    }
  });
});
