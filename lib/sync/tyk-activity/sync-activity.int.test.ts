import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getKeyUsage } from "@/lib/queries/keys";
import { callerIdsFor } from "@/lib/sync/analytics/callers";
import { listIdentities } from "@/lib/queries/identities";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { readState } from "@/lib/sync/sync-run";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { createWorld } from "@/simulators/world";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { activityStateName, syncKeyActivity, type KeyActivityState } from "./sync-activity";

// A Dashboard without a Pump database: the only traffic is the per-key hourly analytics. The clock
// (Date only) is moved so the first run happens 3 h before the second and the second must fetch
// only what came after the first's watermark.
const API_KEY = "activity-int-key";
const HOUR = 3_600_000;
// 05:30 UTC yesterday, whatever the wall clock says: half past an hour, so the runs never sit on an
// hour boundary, and early in its day, so the second run's day range (the activity API takes
// whole days) holds few enough hours for one page per key. Tied to the wall clock's hour, the test
// failed whenever it ran after ~10:00 UTC (two pages per key).
const DAY = 24 * HOUR;
const ANCHOR = new Date(Math.floor(Date.now() / DAY) * DAY - DAY + 5.5 * HOUR);
const FIRST = new Date(ANCHOR.getTime() - 3 * HOUR);
const world = createWorld({ seed: 7, anchor: ANCHOR });

let sim: TykSimulator;
let client: TykClient;
let fresh: FreshDatabase;
let db: PrismaClient;

/** World requests of `keys` per `keyHash|hourIso` in [fromMs, toMs). */
function worldCounts(keys: Set<string>, fromMs: number, toMs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of world.requestsBetween(fromMs, toMs)) {
    if (!keys.has(r.keyHash)) continue;
    const id = `${r.keyHash}|${new Date(Math.floor(r.ts / HOUR) * HOUR).toISOString()}`;
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
async function dbCounts(fromMs: number, toMs: number): Promise<Map<string, number>> {
  const rows = await db.keyActivity.findMany({ where: { hour: { gte: new Date(fromMs), lt: new Date(toMs) } } });
  return new Map(rows.map((r) => [`${r.keyHash}|${r.hour.toISOString()}`, r.hits]));
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(FIRST);
  sim = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 10 });
  client = createTykClient({ baseUrl: sim.url, apiKey: API_KEY, retryBaseMs: 1 });
  fresh = await freshDatabase();
  db = createDb(fresh.url);
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await sim?.close();
  await db?.$disconnect();
  await fresh?.drop();
});

describe("syncKeyActivity (no Pump database)", () => {
  it("stores each key's hourly hits equal to the world's requests, then fetches incrementally", async () => {
    expect((await syncTyk({ db, client, auditLog: "off", trigger: "test" })).status).not.toBe("failed");
    const keys = await db.key.findMany({ where: { deletedAt: null } });
    expect(keys.length).toBeGreaterThan(3);
    // Only live keys are asked about (a key rotated away earlier in the day is not).
    const live = new Set(keys.map((k) => k.keyHash));

    const first = await syncKeyActivity({ db, client, trigger: "test" });
    expect(first.status).toBe("succeeded");
    expect(first.counts.keys).toBe(keys.length);
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: first.runId } });
    expect(run.kind).toBe("analytics");

    // Whole hours of the first window: every (key, hour) equal to the world's count.
    const firstHour = Math.floor((FIRST.getTime() - 24 * HOUR) / HOUR) * HOUR;
    const lastWhole = Math.floor(FIRST.getTime() / HOUR) * HOUR;
    const expected = worldCounts(live, firstHour, lastWhole);
    expect(expected.size).toBeGreaterThan(20);
    expect(await dbCounts(firstHour, lastWhole)).toEqual(expected);

    const culprit = keys.find((k) => k.alias === "globex-batch")!;
    const state = await readState<KeyActivityState>(db, activityStateName(culprit.keyHash));
    expect(state?.since).toBe(new Date(lastWhole).toISOString());

    // Three hours later: one page per key (the window is ~4 hours, not 24) and the new hours complete.
    vi.setSystemTime(ANCHOR);
    const before = sim.requestCount();
    const second = await syncKeyActivity({ db, client, trigger: "test" });
    expect(second.status).toBe("succeeded");
    expect(sim.requestCount() - before).toBe(keys.length);
    const anchorHour = Math.floor(ANCHOR.getTime() / HOUR) * HOUR;
    expect(await dbCounts(firstHour, anchorHour)).toEqual(worldCounts(live, firstHour, anchorHour));
  }, 120_000);

  it("feeds the key page and the identities page when there are no request records", async () => {
    expect(await db.requestRecord.count()).toBe(0);
    const culprit = (await db.key.findFirstOrThrow({ where: { alias: "globex-batch" } }));
    const usage = await getKeyUsage(db, culprit.keyHash, { now: ANCHOR });
    expect(usage.source).toBe("activity");
    const anchorHour = Math.floor(ANCHOR.getTime() / HOUR) * HOUR;
    const wanted = world.requestsBetween(usage.since.getTime(), anchorHour).filter((r) => r.keyHash === culprit.keyHash);
    const whole = usage.hours.filter((h) => h.hour.getTime() < anchorHour);
    expect(whole.reduce((a, h) => a + h.hits, 0)).toBe(wanted.length);
    expect(whole.reduce((a, h) => a + h.errors, 0)).toBe(wanted.filter((r) => r.status >= 400).length);
    expect(usage.avgMs).not.toBeNull();

    const identities = await listIdentities(db, { now: ANCHOR });
    const owner = identities.find((i) => i.keys.some((k) => k.keyHash === culprit.keyHash))!;
    expect(owner.traffic.source).toBe("activity");
    expect(owner.traffic.requests).toBeGreaterThanOrEqual(wanted.length);
    expect(owner.traffic.avgMs).not.toBeNull();
  });

  it("records a key whose activity fails as a fault (run partial) and still syncs the others, watermark kept", async () => {
    const culprit = await db.key.findFirstOrThrow({ where: { alias: "globex-batch" } });
    const stateBefore = await readState<KeyActivityState>(db, activityStateName(culprit.keyHash));
    vi.setSystemTime(new Date(ANCHOR.getTime() + HOUR));
    sim.setFault({ kind: "rename-field", path: new RegExp(`/api/activity/keys/${culprit.keyHash}/`) });
    try {
      const run = await syncKeyActivity({ db, client, trigger: "test" });
      expect(run.status).toBe("partial");
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0].message).toMatch(/unexpected response shape at data/);
      expect(run.counts.keys).toBe((await db.key.count({ where: { deletedAt: null } })) - 1);
      expect(await readState<KeyActivityState>(db, activityStateName(culprit.keyHash))).toEqual(stateBefore);
    } finally {
      sim.setFault(null);
      vi.setSystemTime(ANCHOR);
    }
  });

  it("prefers request records once the key has any", async () => {
    const culprit = await db.key.findFirstOrThrow({ where: { alias: "globex-batch" } });
    const [callerId] = await callerIdsFor(db, [{ keyHash: culprit.keyHash, identityId: culprit.identityId, oauthClientId: null, policyIds: [] }]);
    await db.requestRecord.create({ data: { sourceId: 1n, ts: new Date(ANCHOR.getTime() - HOUR), apiId: "a", method: "GET", path: "/orders",
      status: 502, latencyMs: 40, callerId } });
    const usage = await getKeyUsage(db, culprit.keyHash, { now: ANCHOR });
    expect(usage).toMatchObject({ source: "requests", hits: 1, errors: 1, avgMs: 40 });
  });
});
