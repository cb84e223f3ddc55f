import { describe, expect, it } from "vitest";
import { callFilterSchema } from "@/lib/queries/calls";
import { auditFilterSchema } from "@/lib/audit/query";
import { filterDate } from "./filter-date";

describe("filterDate", () => {
  it("takes ordinary dates and refuses years the database cannot store", () => {
    expect(filterDate.parse("2026-11-20").toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect(filterDate.safeParse("0001-01-01").success).toBe(true);
    expect(filterDate.safeParse("0000-01-01").success).toBe(false);
    expect(filterDate.safeParse("+010000-01-01T00:00:00Z").success).toBe(false);
    expect(filterDate.safeParse("not a date").success).toBe(false);
  });

  it("is what the call-trail and audit filters use, so their exports refuse year 0 with the field named", () => {
    for (const schema of [callFilterSchema, auditFilterSchema]) {
      const r = schema.safeParse({ from: "0000-01-01" });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(["from"]);
    }
  });
});
