import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getFreshness } from "@/lib/queries/sync-status";
import { snapshotDatabase } from "@/lib/security/db-snapshot";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { createTykClient } from "@/lib/tyk/client";
import { createWorld } from "@/simulators/world";
import { startTykSimulator, type Fault, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

// Each upstream fault the Tyk simulator can play: the sync run is recorded failed or partial with a
// reason, the freshness behind the console's stale banner says so (with the last good sync time),
// nothing already stored changes, and the next run, fault cleared, succeeds.
const API_KEY = "faults-int-key";
const world = createWorld({ seed: 7, anchor: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000) });
// Stamps a run writes by itself are not "stored data": leave the run bookkeeping out of the comparison.
const BOOKKEEPING = ["sync_runs", "sync_state"];
// Every run lists every key: with a quiet audit log an incremental run would fetch no keys at all,
// and the key-listing faults below (empty pages) must still hit the listing.
const LIST_ALL = { everyRuns: 1 };

const FAULTS: { name: string; fault: Fault }[] = [
  { name: "500s", fault: { kind: "500" } },
  { name: "429 storm with Retry-After", fault: { kind: "429", retryAfterSeconds: 1 } },
  { name: "responses slower than the timeout", fault: { kind: "slow", ms: 1_500 } },
  { name: "truncated JSON", fault: { kind: "truncated" } },
  { name: "a renamed field", fault: { kind: "rename-field" } },
  { name: "an empty page in the middle of pagination", fault: { kind: "empty-page", path: /^\/api\/keys/, skip: 1 } },
];

let sim: TykSimulator;
let fresh: FreshDatabase;
let db: PrismaClient;
let baselineFinished: Date;
const client = () => createTykClient({ baseUrl: sim.url, apiKey: API_KEY, timeoutMs: 300, retries: 1, retryBaseMs: 1, maxWaitMs: 20 });

beforeAll(async () => {
  sim = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 3 });
  fresh = await freshDatabase();
  db = createDb(fresh.url);
  const first = await syncTyk({ db, client: client(), auditLog: "auto", trigger: "test", fullReconcile: LIST_ALL });
  expect(first.status).toBe("succeeded");
  const again = await syncTyk({ db, client: client(), auditLog: "auto", trigger: "test", fullReconcile: LIST_ALL });
  expect(again.status).toBe("succeeded");
  baselineFinished = (await db.syncRun.findUniqueOrThrow({ where: { id: again.runId } })).finishedAt!;
});

afterAll(async () => {
  await sim?.close();
  await db?.$disconnect();
  await fresh?.drop();
});

describe("Tyk sync under upstream faults", () => {
  for (const { name, fault } of FAULTS) {
    it(`${name}: recorded as not succeeded with a reason, data intact, next run completes`, async () => {
      const before = await snapshotDatabase(fresh.url, { exclude: BOOKKEEPING });
      const goodBefore = await db.syncRun.findFirst({ where: { kind: "tyk", status: "succeeded" }, orderBy: { finishedAt: "desc" } });

      sim.setFault(fault);
      const broken = await syncTyk({ db, client: client(), auditLog: "auto", trigger: "test", fullReconcile: LIST_ALL });
      sim.setFault(null);

      expect(await snapshotDatabase(fresh.url, { exclude: BOOKKEEPING }), "nothing stored was lost or half-written").toEqual(before);
      expect(["failed", "partial"], `status ${broken.status}`).toContain(broken.status);
      expect(broken.errors.length).toBeGreaterThan(0);
      expect(broken.errors[0].message.length).toBeGreaterThan(5);
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: broken.runId } });
      expect(run.status).toBe(broken.status);
      expect(run.finishedAt).not.toBeNull();

      const fresh1 = await getFreshness(db, "tyk", 60);
      expect(fresh1.stale, "the console shows the stale banner").toBe(true);
      expect(fresh1.lastGoodAt?.getTime(), "with the last good sync time").toBe(goodBefore!.finishedAt!.getTime());


      const next = await syncTyk({ db, client: client(), auditLog: "auto", trigger: "test", fullReconcile: LIST_ALL });
      expect(next.status, JSON.stringify(next.errors)).toBe("succeeded");
      expect(await snapshotDatabase(fresh.url, { exclude: BOOKKEEPING }), "the recovery run changes nothing either").toEqual(before);
      expect((await getFreshness(db, "tyk", 60)).stale).toBe(false);
    });
  }

  it("a one-off empty page in the middle of pagination is re-walked: the run succeeds and nothing looks deleted", async () => {
    const before = await snapshotDatabase(fresh.url, { exclude: BOOKKEEPING });
    sim.setFault({ kind: "empty-page", path: /^\/api\/keys/, skip: 1, times: 1 });
    const run = await syncTyk({ db, client: client(), auditLog: "auto", trigger: "test", fullReconcile: LIST_ALL });
    sim.setFault(null);
    expect(run.status, JSON.stringify(run.errors)).toBe("succeeded");
    expect(await snapshotDatabase(fresh.url, { exclude: BOOKKEEPING })).toEqual(before);
    expect(baselineFinished.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
