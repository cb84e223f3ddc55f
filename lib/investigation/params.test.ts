import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { endpointParams, investigationQuery, seriesQuery } from "./params";

function firstIssue(r: z.ZodSafeParseResult<unknown>) {
  expect(r.success).toBe(false);
  const issue = r.error!.issues[0];
  return { field: issue.path.join("."), message: issue.message };
}

describe("investigationQuery", () => {
  it("accepts no parameters (the latest spike) and parses times to epoch ms", () => {
    expect(investigationQuery.parse({})).toEqual({});
    const q = investigationQuery.parse({ from: "2026-11-26T10:00:00Z", to: "2026-11-26T12:00:00+01:00", lookback: "90" });
    expect(q).toEqual({ from: Date.UTC(2026, 10, 26, 10), to: Date.UTC(2026, 10, 26, 11), lookback: 90 });
  });

  it("accepts a user type and names userType for one of no known kind", () => {
    expect(investigationQuery.parse({ userType: "policy:kiosk-fleet" })).toEqual({ userType: "policy:kiosk-fleet" });
    expect(investigationQuery.parse({ userType: "kind:service" }).userType).toBe("kind:service");
    for (const bad of ["tier:gold", "kind:robot", "policy:", "gold"]) {
      expect(firstIssue(investigationQuery.safeParse({ userType: bad })).field, bad).toBe("userType");
    }
  });

  it("accepts an environment in any spelling and names env for one that is no name", () => {
    expect(investigationQuery.parse({ env: " PRD " })).toEqual({ env: "PRD" });
    for (const bad of ["", "prod<script>", "x".repeat(101)]) expect(firstIssue(investigationQuery.safeParse({ env: bad })).field, bad).toBe("env");
  });

  it("names the field of a malformed or zone-less time", () => {
    expect(firstIssue(investigationQuery.safeParse({ from: "yesterday", to: "2026-11-26T12:00:00Z" })).field).toBe("from");
    expect(firstIssue(investigationQuery.safeParse({ from: "2026-11-26T10:00:00Z", to: "2026-11-26T12:00:00" })).field).toBe("to");
  });

  it("rejects to before (or equal to) from, naming to", () => {
    const e = firstIssue(investigationQuery.safeParse({ from: "2026-11-26T12:00:00Z", to: "2026-11-26T10:00:00Z" }));
    expect(e).toEqual({ field: "to", message: "must be after from" });
    expect(firstIssue(investigationQuery.safeParse({ from: "2026-11-26T12:00:00Z", to: "2026-11-26T12:00:00Z" })).field).toBe("to");
  });

  it("rejects a window wider than 7 days, naming to, and accepts exactly 7 days", () => {
    const e = firstIssue(investigationQuery.safeParse({ from: "2026-11-01T00:00:00Z", to: "2026-11-08T00:00:01Z" }));
    expect(e.field).toBe("to");
    expect(e.message).toMatch(/7 days/);
    expect(investigationQuery.safeParse({ from: "2026-11-01T00:00:00Z", to: "2026-11-08T00:00:00Z" }).success).toBe(true);
  });

  it("requires from and to together, naming the missing one", () => {
    expect(firstIssue(investigationQuery.safeParse({ from: "2026-11-26T10:00:00Z" })).field).toBe("to");
    expect(firstIssue(investigationQuery.safeParse({ to: "2026-11-26T10:00:00Z" })).field).toBe("from");
  });

  it("bounds lookback to 5..1440 whole minutes", () => {
    for (const bad of ["4", "1441", "12.5", "abc"]) expect(firstIssue(investigationQuery.safeParse({ lookback: bad })).field).toBe("lookback");
    expect(investigationQuery.parse({ lookback: "5" }).lookback).toBe(5);
    expect(investigationQuery.parse({ lookback: "1440" }).lookback).toBe(1440);
  });
});

describe("seriesQuery and endpointParams", () => {
  it("applies the same time rules", () => {
    expect(seriesQuery.parse({})).toEqual({});
    expect(firstIssue(seriesQuery.safeParse({ from: "2026-11-26T12:00:00Z", to: "2026-11-26T11:00:00Z" })).field).toBe("to");
  });

  it("requires a non-empty endpoint id", () => {
    expect(endpointParams.safeParse({ id: "" }).success).toBe(false);
    expect(endpointParams.parse({ id: "ep_1" })).toEqual({ id: "ep_1" });
  });
});
