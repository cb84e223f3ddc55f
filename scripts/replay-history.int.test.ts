import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { createTykClient } from "@/lib/tyk/client";
import { createWorld } from "@/simulators/world";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { replayHistory, replayTimes } from "./replay-history";

const API_KEY = "replay-int-key";
const world = createWorld({ seed: 42 });
let sim: TykSimulator;
let fresh: FreshDatabase;
let db: PrismaClient;

beforeAll(async () => {
  sim = await startTykSimulator({ world, apiKey: API_KEY });
  fresh = await freshDatabase();
  db = createDb(fresh.url);
});
afterAll(async () => {
  await sim?.close();
  await db?.$disconnect();
  await fresh?.drop();
});

describe("replayTimes", () => {
  it("starts a day before the anchor and keeps 30 s after each event, or half the gap to the next", () => {
    const a = new Date("2026-01-01T12:00:00Z");
    const t = (iso: string) => new Date(iso);
    expect(replayTimes(a, [t("2026-01-01T10:00:30Z"), t("2026-01-01T10:00:00Z"), t("2026-01-01T11:00:00Z")])).toEqual([
      t("2025-12-31T12:00:00Z"), t("2026-01-01T10:00:15Z"), t("2026-01-01T10:01:00Z"), t("2026-01-01T11:00:30Z"),
    ]);
  });
});

describe("replayHistory", () => {
  it("gives every change of the day its own version, diff and audited actor/time, then leaves the clock live", async () => {
    const client = createTykClient({ baseUrl: sim.url, apiKey: API_KEY, retryBaseMs: 1 });
    const times = replayTimes(world.anchor, world.events.map((e) => e.at));
    const res = await replayHistory({ db, client, dashboardUrl: sim.url, apiKey: API_KEY, times });
    expect(res).toEqual({ syncs: world.events.length + 1, failed: 0 });

    const culprit = world.events.find((e) => e.kind === "policy" && e.targetId === world.incident.policyId)!;
    const versions = await db.policyVersion.findMany({ where: { policyId: world.incident.policyId }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1].diff).toEqual(expect.arrayContaining([expect.objectContaining({ before: 100, after: 2000 })]));
    expect(versions[1].observedAt.getTime()).toBeGreaterThan(culprit.at.getTime());
    expect(versions[1].observedAt.getTime()).toBeLessThan(culprit.at.getTime() + 60_000);
    const change = await db.accessChange.findFirstOrThrow({ where: { kind: "policy", targetId: world.incident.policyId, version: 2 } });
    expect(change).toMatchObject({ actor: "ada@acme.test", timeSource: "audit", changedAt: culprit.at });
    expect(JSON.parse(JSON.stringify(change.auditEntries))).toHaveLength(1);

    // Each world event is its own attributed change (the key rotation's two writes included). The
    // simulator serves no OAuth client listing, so that one event cannot show up.
    const changes = await db.accessChange.findMany({ where: { timeSource: "audit" } });
    for (const e of world.events.filter((x) => x.kind !== "oauth_client")) {
      expect(changes.some((c) => c.changedAt.getTime() === e.at.getTime() && c.actor === e.actor), e.description).toBe(true);
    }

    // Live again: the next ordinary sync adds nothing new.
    const before = await db.accessChange.count();
    expect((await syncTyk({ db, client, auditLog: "auto", trigger: "test" })).status).toBe("succeeded");
    expect(await db.accessChange.count()).toBe(before);
  });
});
