import { describe, expect, it } from "vitest";
import { migrationTimestamp } from "./make-migration";
import { isEmptyMigration, withDatasourceUrl } from "./schema-diff";

describe("schema-diff helpers", () => {
  it("adds the url prisma 6 requires to a Prisma 7 datasource", () => {
    const out = withDatasourceUrl('datasource db {\n  provider = "postgresql"\n}\n');
    expect(out).toMatch(/datasource db \{\n {2}url = "postgresql:\/\/offline\/offline"\n {2}provider/);
    expect(() => withDatasourceUrl("model A { id Int @id }")).toThrow(/no datasource/);
  });

  it("treats comment-only diff output as empty", () => {
    expect(isEmptyMigration("-- This is an empty migration.\n\n")).toBe(true);
    expect(isEmptyMigration("-- AlterTable\nALTER TABLE x ADD COLUMN y int;\n")).toBe(false);
  });

  it("stamps migrations like Prisma (UTC YYYYMMDDHHMMSS)", () => {
    expect(migrationTimestamp(new Date("2026-11-26T04:05:06.789Z"))).toBe("20261126040506");
  });
});
