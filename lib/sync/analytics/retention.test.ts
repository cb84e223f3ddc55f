import { describe, expect, it } from "vitest";
import { expiredDayTables, firstKeptDay } from "./retention";

describe("retention", () => {
  it("keeps today and the days before it up to the policy's length", () => {
    expect(firstKeptDay(new Date("2026-12-07T23:59:00Z"), 7)).toBe("2026-12-01");
    expect(firstKeptDay(new Date("2026-12-07T00:00:00Z"), 1)).toBe("2026-12-07");
    expect(firstKeptDay(new Date("2026-03-01T08:00:00Z"), 400)).toBe("2025-01-26");
  });

  it("picks day partitions and loading tables older than the first kept day, nothing else", () => {
    const tables = ["request_records_p20261129", "request_records_p20261130", "request_records_load_20261128", "request_records_p20261201",
      "request_records_default", "request_records_p2026113"];
    expect(expiredDayTables(tables, "2026-11-30")).toEqual(["request_records_load_20261128", "request_records_p20261129"]);
  });
});
