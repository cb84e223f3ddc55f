import { describe, expect, it } from "vitest";
import { deploysIn } from "./deploys";

const M = 60_000;
const series = (version: string, minutes: number[]) => ({ service: "orders-service", version, points: minutes.map((m) => ({ ts: m * M, count: 5 })) });

describe("deploysIn", () => {
  it("takes the first scan's earliest versions as the baseline and a later new version as a deploy at its first minute", () => {
    const known: Record<string, number> = {};
    expect(deploysIn([series("v2.13.4", [0, 1, 2, 3]), series("v2.14.0", [3, 4, 5])], known)).toEqual([{ version: "v2.14.0", previousVersion: "v2.13.4", at: 3 * M }]);
    expect(known).toEqual({ "v2.13.4": 0, "v2.14.0": 3 * M });
  });

  it("records nothing for versions already seen (re-read overlap, rollbacks) and chains later deploys", () => {
    const known = { "v1": 0, "v2": 10 * M };
    expect(deploysIn([series("v2", [20, 21]), series("v1", [22])], known)).toEqual([]);
    expect(deploysIn([series("v2", [30]), series("v3", [31, 32])], known)).toEqual([{ version: "v3", previousVersion: "v2", at: 31 * M }]);
  });

  it("treats a canary serving beside the old version from the scan's start as baseline, and ignores empty series", () => {
    const known: Record<string, number> = {};
    expect(deploysIn([series("a", [0, 1]), series("b", [0, 1]), { service: "orders-service", version: "c", points: [{ ts: 0, count: 0 }] }], known)).toEqual([]);
    expect(Object.keys(known).sort()).toEqual(["a", "b"]);
  });
});
