import { describe, expect, it } from "vitest";
import { expiryState, keyFiltersSearch, keyWhere, parseKeyFilters } from "./key-filters";

const now = new Date("2026-03-01T00:00:00Z");

describe("parseKeyFilters", () => {
  it("reads known filters and drops unknown or malformed values", () => {
    const f = parseKeyFilters({ policy: "pol1", identity: "id1", age: "30d", expiry: "soon", page: "3", size: "100", junk: "x" });
    expect(f).toEqual({ policy: "pol1", identity: "id1", age: "30d", expiry: "soon", q: undefined, page: 3, pageSize: 100 });
    expect(parseKeyFilters({ age: "1y", expiry: "yesterday", page: "-2", size: "7" })).toMatchObject({ age: undefined, expiry: undefined, page: 1, pageSize: 50 });
  });

  it("accepts URLSearchParams and repeated params (first wins), trimming blanks", () => {
    expect(parseKeyFilters(new URLSearchParams("policy=a&policy=b&q=%20%20"))).toMatchObject({ policy: "a", q: undefined });
    expect(parseKeyFilters({ policy: ["a", "b"] }).policy).toBe("a");
  });
});

describe("keyFiltersSearch", () => {
  it("round-trips and resets the page when a filter changes", () => {
    const f = parseKeyFilters({ policy: "p", page: "4" });
    expect(keyFiltersSearch(f)).toBe("?policy=p&page=4");
    expect(keyFiltersSearch(f, { expiry: "expired" })).toBe("?policy=p&expiry=expired");
    expect(keyFiltersSearch(f, { page: 5 })).toBe("?policy=p&page=5");
    expect(parseKeyFilters(new URLSearchParams(keyFiltersSearch(f).slice(1)))).toEqual(f);
  });
});

describe("keyWhere", () => {
  it("always excludes deleted keys and maps each filter", () => {
    expect(keyWhere(parseKeyFilters({}), now)).toEqual({ AND: [{ deletedAt: null }] });
    const w = keyWhere(parseKeyFilters({ policy: "p", expiry: "soon", age: "90d+" }), now);
    expect(w.AND).toContainEqual({ policyIds: { has: "p" } });
    expect(w.AND).toContainEqual({ expiresAt: { gt: now, lte: new Date("2026-03-08T00:00:00Z") } });
    expect(w.AND).toContainEqual({
      OR: [{ tykCreatedAt: { lt: new Date("2025-12-01T00:00:00Z") } }, { tykCreatedAt: null, firstSeenAt: { lt: new Date("2025-12-01T00:00:00Z") } }],
    });
  });
});

describe("expiryState", () => {
  it("classifies expiry", () => {
    expect(expiryState(null, now)).toBe("never");
    expect(expiryState(new Date("2026-02-28T00:00:00Z"), now)).toBe("expired");
    expect(expiryState(new Date("2026-03-05T00:00:00Z"), now)).toBe("soon");
    expect(expiryState(new Date("2026-04-05T00:00:00Z"), now)).toBe("ok");
  });
});
