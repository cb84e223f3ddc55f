import { describe, expect, it } from "vitest";
import { bandX, sparklinePath } from "./sparkline-path";

const box = { width: 100, height: 20, pad: 0 };

function points(d: string): [string, number, number][] {
  return [...d.matchAll(/([ML])([\d.]+) ([\d.]+)/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
}

describe("sparklinePath", () => {
  it("draws one segment across the width, higher latency higher up", () => {
    const d = sparklinePath([10, 100, 1000], box);
    const p = points(d);
    expect(p.map((x) => x[0])).toEqual(["M", "L", "L"]);
    expect(p.map((x) => x[1])).toEqual([0, 50, 100]);
    expect(p[0][2]).toBe(20);
    expect(p[2][2]).toBe(0);
    // log scale: 100 sits half-way between 10 and 1000
    expect(p[1][2]).toBe(10);
  });

  it("breaks the line at gaps instead of bridging them", () => {
    const d = sparklinePath([10, 20, null, 30, 40], box);
    expect(points(d).map((x) => x[0])).toEqual(["M", "L", "M", "L"]);
  });

  it("is empty with no data, and centres a flat series", () => {
    expect(sparklinePath([null, null], box)).toBe("");
    expect(sparklinePath([], box)).toBe("");
    expect(points(sparklinePath([5, 5, 5], box)).every((p) => p[2] === 10)).toBe(true);
  });

  it("keeps an isolated point visible", () => {
    expect(sparklinePath([null, 7, null], box)).toMatch(/^M50 10h0\.1$/);
  });

  it("ignores zero and negative values", () => {
    expect(points(sparklinePath([0, 10, -1, 100], box)).map((x) => x[0])).toEqual(["M", "M"]);
  });
});

describe("bandX", () => {
  it("maps a time range into x, clipped to the window", () => {
    expect(bandX(0, 100, 50, 75, box)).toEqual({ x: 50, width: 25 });
    expect(bandX(0, 100, 90, 200, box)).toEqual({ x: 90, width: 10 });
    expect(bandX(0, 100, 150, 200, box)).toBeNull();
  });
});
