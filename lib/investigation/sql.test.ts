import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseIntList } from "./sql";

describe("parseIntList", () => {
  it("reads comma-separated integers, signed and as large as int8 epoch values", () => {
    const out = new Float64Array(5);
    expect(parseIntList("29885760,-3,0,349,1793401500000", out)).toBe(5);
    expect([...out]).toEqual([29885760, -3, 0, 349, 1793401500000]);
  });

  it("reads back what joining integers made, for any list", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), { minLength: 1, maxLength: 50 }), (xs) => {
      const out = new Float64Array(xs.length);
      expect(parseIntList(xs.join(","), out)).toBe(xs.length);
      expect([...out]).toEqual(xs);
    }));
  });

  it("rejects anything but integers and says where, and reports more values than room", () => {
    const out = new Float64Array(4);
    expect(() => parseIntList("1,2.5", out)).toThrow(/unexpected "\." at 3/);
    expect(() => parseIntList("1,,2", out)).toThrow(/at 2/);
    expect(() => parseIntList("1,2,", out)).toThrow(/end/);
    expect(() => parseIntList("1,-", out)).toThrow(/end/);
    expect(() => parseIntList("1,--2", out)).toThrow(/at 3/);
    expect(parseIntList("1,2,3,4,5", out)).toBe(5);
  });
});
