// Anomalies by user type on the seeded world, through the real syncs: the kiosks (policy
// kiosk-fleet, keys without an alias) got 4× slower on POST /shipping/labels for the last 50
// minutes, and the dispatch service on the same endpoint did not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startSeededWorld, type SeededWorld } from "@/tests/helpers/seeded-world";

const HOUR = 3_600_000;
let seeded: SeededWorld;
let db: PrismaClient;

beforeAll(async () => {
  // Eight hours: enough earlier hours (six) for a baseline before the incident and the kiosks' slowdown.
  seeded = await startSeededWorld({ backfillMs: 8 * HOUR });
  db = seeded.db;
}, 480_000);

afterAll(async () => {
  await seeded?.close();
});

describe("anomalies by user type, detected at the analytics sync", () => {
  it("finds the kiosk fleet's slowdown on POST /shipping/labels, not the dispatch service's", async () => {
    const g = seeded.world.groupAnomaly;
    const labels = await db.endpoint.findFirstOrThrow({ where: { method: g.method, path: g.template } });
    const found = await db.anomaly.findMany({ where: { endpointId: labels.id } });
    const kiosk = found.filter((a) => a.userType === `policy:${g.policyId}` && a.metric === "p99");
    expect(kiosk.length).toBeGreaterThan(0);
    for (const a of kiosk) {
      expect(a.typeLabel).toBe("Policy kiosk-fleet");
      expect(a.value / a.baseline).toBeGreaterThan(2.5);
      expect(a.hour.getTime() + HOUR).toBeGreaterThan(g.start.getTime());
    }
    const logistics = await db.policy.findFirstOrThrow({ where: { name: "logistics-internal" } });
    expect(found.filter((a) => a.userType === `policy:${logistics.id}` || a.userType === "kind:service")).toEqual([]);
  });

  it("stays quiet where the world is quiet: every anomaly is the kiosks' slowdown or the seeded incident", async () => {
    const { incident, groupAnomaly } = seeded.world;
    const all = await db.anomaly.findMany();
    const endpoints = new Map((await db.endpoint.findMany({ select: { id: true, apiId: true, method: true, path: true } })).map((e) => [e.id, e]));
    const unexplained = all.filter((a) => {
      const e = endpoints.get(a.endpointId)!;
      const hourEnd = a.hour.getTime() + HOUR;
      const kiosks = e.path === groupAnomaly.template && hourEnd > groupAnomaly.start.getTime();
      const incidentHours = e.apiId === incident.endpoint.apiId && hourEnd > incident.spikeStart.getTime() && a.hour.getTime() < incident.spikeEnd.getTime();
      return !kiosks && !incidentHours;
    });
    const judged = await db.typeHour.count();
    console.info(`seeded world: ${all.length} anomalies in ${judged} type-hours, ${unexplained.length} outside the seeded events`, unexplained.map((a) => `${a.typeLabel} ${a.metric} ${a.value.toFixed(2)} vs ${a.baseline.toFixed(2)}`));
    expect(unexplained).toEqual([]);
  });

  it("lists them ranked by impact, each linking to an investigation of its endpoint and hour", async () => {
    const { anomaliesPage } = await import("./page");
    const page = await anomaliesPage(db, { days: 1 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.map((a) => a.impact)).toEqual([...page.items.map((a) => a.impact)].sort((x, y) => y - x));
    const kiosk = page.items.find((a) => a.typeLabel === "Policy kiosk-fleet" && a.metric === "p99")!;
    expect(kiosk.text).toMatch(/^Policy kiosk-fleet got \d+\.\d× slower on POST \/shipping\/labels: p99 /);
    const url = new URL(kiosk.investigateHref, "http://x");
    expect(url.pathname).toBe(`/endpoints/${kiosk.endpointId}`);
    expect(Date.parse(url.searchParams.get("to")!) - Date.parse(url.searchParams.get("from")!)).toBeLessThanOrEqual(2 * HOUR);
    expect((await anomaliesPage(db, { days: 1, type: "group" })).items).toEqual([]);
    expect((await anomaliesPage(db, { days: 1, metric: "p99", type: "policy" })).items.every((a) => a.metric === "p99" && a.userType.startsWith("policy:"))).toBe(true);
  });

  it("works incrementally: a second sync reads only the hours since the watermark", async () => {
    const { readState } = await import("@/lib/sync/sync-run");
    const { ANOMALY_STATE, detectTypeAnomalies } = await import("./detect");
    const before = (await readState<{ next: number }>(db, ANOMALY_STATE))!.next;
    const hoursStored = await db.typeHour.findMany({ where: { hour: { lt: new Date(before), gte: new Date(before - 28 * 24 * HOUR) } }, orderBy: [{ hour: "asc" }, { userType: "asc" }, { endpointId: "asc" }] });
    const old = new Date(before - 40 * 24 * HOUR);
    await db.typeHour.create({ data: { userType: "kind:none", endpointId: "gone", hour: old, requests: 1, errors: 0, minutes: 60 } });
    const again = await detectTypeAnomalies(db);
    expect(await db.typeHour.count({ where: { hour: old } })).toBe(0); // past any baseline's reach
    expect(again.hours).toBeLessThanOrEqual(2); // the running hour (and the one just over)
    expect(again.watermark).toBeGreaterThanOrEqual(before);
    // Final hours are not rewritten.
    expect(await db.typeHour.findMany({ where: { hour: { lt: new Date(before), gte: new Date(before - 28 * 24 * HOUR) } }, orderBy: [{ hour: "asc" }, { userType: "asc" }, { endpointId: "asc" }] })).toEqual(hoursStored);
  });
});
