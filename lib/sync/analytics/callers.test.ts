import { describe, expect, it } from "vitest";
import { CallerDictionary, callerSignature, normalisePolicies } from "./callers";

function dictionary(known = new Map<string, number>()) {
  let next = 10;
  return new CallerDictionary(known, async (n) => Array.from({ length: n }, () => next++));
}

describe("CallerDictionary", () => {
  it("finds stored callers by tuple, with policies in any order, without reserving ids", () => {
    const d = dictionary(new Map([[callerSignature("k", "p", null, ["a", "b"]), 3]]));
    expect(d.idForRow("k", "p", null, ["b", "a"])).toBe(3);
    expect(d.idForRow("k", "p", null, ["a", "b"])).toBe(3);
    expect(d.idOf(callerSignature("k", "p", null, ["a", "b"]), "k", "p", null, ["a", "b"])).toBe(3);
    // Another identity for the same key is another caller: no id yet, none reserved.
    expect(d.idForRow("k", "q", null, ["a", "b"])).toBeNull();
    expect(d.pendingCount).toBe(0);
  });

  it("tells nulls from values and a client from none", async () => {
    const d = dictionary();
    await d.refill();
    const ids = [
      d.idForRow(null, null, null, []), d.idForRow("k", null, null, []), d.idForRow("k", null, "c", []),
      d.idForRow("k", null, null, ["c"]), d.idForRow("k", "p", null, []),
    ];
    expect(new Set(ids).size).toBe(5);
    expect(d.idForRow("k", null, "c", [])).toBe(ids[2]);
    expect(d.pendingCount).toBe(5);
  });

  it("forgets a rolled-back batch's callers, on both lookup paths", async () => {
    const d = dictionary();
    await d.refill();
    const first = d.idForRow("k", null, null, ["gold"]);
    d.rollback();
    expect(d.pendingCount).toBe(0);
    const second = d.idForRow("k", null, null, ["gold"]);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect(d.idOf(callerSignature("k", null, null, ["gold"]), "k", null, null, ["gold"])).toBe(second);
    d.commit();
    expect(d.idForRow("k", null, null, ["gold"])).toBe(second);
    expect(d.pendingCount).toBe(0);
  });

  it("normalises policies: deduplicated and sorted", () => {
    expect(normalisePolicies(["b", "a", "b"])).toEqual(["a", "b"]);
    expect(normalisePolicies([])).toEqual([]);
  });
});
