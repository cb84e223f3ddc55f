import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabases } from "@/tests/helpers/db";
import { backgroundWrittenTables, snapshotDatabase } from "./db-snapshot";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

describe("database snapshots", () => {
  const dbs = freshDatabases();
  afterAll(() => dbs.dropAll());

  it("find the tables the background sync writes, request records included (written through its day tables)", () => {
    const tables = backgroundWrittenTables(REPO_ROOT);
    for (const t of ["request_records", "keys", "policy_versions", "latency_points", "sync_state"]) expect(tables).toContain(t);
    expect(tables).not.toContain("audit_events");
  });

  it("read partitions through their partitioned table", async () => {
    const { url, db } = await dbs.create();
    await db.requestRecord.create({ data: { sourceId: 1n, callerId: 1, ts: new Date("2026-11-25T05:00:00Z"), apiId: "a", method: "GET", path: "/", status: 200, latencyMs: 1 } });
    const snap = await snapshotDatabase(url);
    expect(snap.request_records.rows).toBe(1);
    expect(Object.keys(snap).filter((t) => t.startsWith("request_records"))).toEqual(["request_records"]);
  });
});
