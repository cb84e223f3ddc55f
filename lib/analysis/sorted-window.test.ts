import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SortedWindow } from "./sorted-window";
import { medianAndSpread } from "./stats";

describe("SortedWindow", () => {
  // The scan's values are logs (and log differences), never NaN nor −0, whose order only a sort defines.
  it("gives exactly medianAndSpread's level and spread for a sliding window with duplicates", () => {
    const value = fc.oneof(fc.double({ min: -20, max: 20, noNaN: true }).map((x) => x + 0), fc.constantFrom(0, 1, 1.5, Math.log(100)));
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 70 }), (xs, w) => {
      const win = new SortedWindow(4); // grows past its capacity
      for (let i = 0; i < xs.length; i++) {
        win.insert(xs[i]);
        if (i >= w) win.remove(xs[i - w]);
        const slice = xs.slice(Math.max(0, i - w + 1), i + 1);
        expect(win.size).toBe(slice.length);
        expect(win.medianAndSpread()).toEqual(medianAndSpread(slice));
      }
    }), { numRuns: 300 });
  });

  it("is empty after clear", () => {
    const win = new SortedWindow(2);
    win.insert(3);
    win.clear();
    expect(win.size).toBe(0);
    expect(Number.isNaN(win.medianAndSpread().level)).toBe(true);
  });
});
